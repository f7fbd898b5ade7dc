-- GET /bench/ceiling/read?id=<random order id>.  Args: first_id last_id
dofile(string.match(debug.getinfo(1, "S").source, "^@(.*/)") .. "report.lua")

function case_init(args)
   first_id, last_id = tonumber(args[1]), tonumber(args[2])
end

function request()
   return wrk.format("GET", "/bench/ceiling/read?id=" .. math.random(first_id, last_id), {})
end
