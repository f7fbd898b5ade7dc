-- POST /bench/ceiling/write?store=<id>: one SELECT and one INSERT in a transaction.
-- Args: store_id
dofile(string.match(debug.getinfo(1, "S").source, "^@(.*/)") .. "report.lua")

function case_init(args)
   path = "/bench/ceiling/write?store=" .. args[1]
end

function request()
   return wrk.format("POST", path, {["Content-Type"] = "application/json"}, "{}")
end
