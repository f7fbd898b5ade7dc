-- GET /api/v1/orders/<number> for a random stored order (numbers B0000001 .. B<count>).
-- Args: api_key order_count
dofile(string.match(debug.getinfo(1, "S").source, "^@(.*/)") .. "report.lua")

function case_init(args)
   headers = {["Authorization"] = "Bearer " .. args[1]}
   count = tonumber(args[2])
end

function request()
   return wrk.format("GET", string.format("/api/v1/orders/B%07d", math.random(1, count)), headers)
end
