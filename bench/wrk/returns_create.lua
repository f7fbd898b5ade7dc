-- The portal's path through the API, per return: GET the order's eligibility, then POST a
-- return of its 2 lines (Idempotency-Key). Each thread walks its own delivered orders
-- (numbers <prefix><n>, n from first to last, stride = thread count), so no two requests
-- return the same units. Line ids are first_line_id + (n - 1) * 2 + 1 and + 2.
-- Args: api_key run_tag prefix first last first_line_id threads
dofile(string.match(debug.getinfo(1, "S").source, "^@(.*/)") .. "report.lua")

local n, asked = nil, false

function case_init(args)
   auth = "Bearer " .. args[1]
   run, prefix = args[2], args[3]
   first, last = tonumber(args[4]), tonumber(args[5])
   first_line, stride = tonumber(args[6]), tonumber(args[7])
   n = first + id - 1
end

function request()
   local number = string.format("%s%07d", prefix, n)
   if not asked then
      asked = true
      return wrk.format("GET", "/api/v1/orders/" .. number .. "/eligibility",
                        {["Authorization"] = auth})
   end
   asked = false
   local line = first_line + (n - 1) * 2
   local body = string.format(
      '{"order":"%s","resolution":"refund","method":"mail_label","lines":[' ..
      '{"order_line_id":%d,"quantity":1,"reason":"too_small"},' ..
      '{"order_line_id":%d,"quantity":1,"reason":"changed_mind"}]}', number, line + 1, line + 2)
   local key = string.format("%s-%s", run, number)
   n = n + stride
   if n > last then n = first + id - 1 end  -- out of orders: later posts fail loudly (422)
   return wrk.format("POST", "/api/v1/returns", {
      ["Authorization"] = auth,
      ["Content-Type"] = "application/json",
      ["Idempotency-Key"] = key,
   }, body)
end
