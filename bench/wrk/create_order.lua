-- POST /api/v1/orders: 3 distinct random SKUs, a returning customer, a storefront order
-- number and an Idempotency-Key, all unique per request (run id, thread id, counter).
-- Args: api_key run_id sku_count customer_count
dofile(string.match(debug.getinfo(1, "S").source, "^@(.*/)") .. "report.lua")

local sent = 0

function case_init(args)
   auth = "Bearer " .. args[1]
   run = args[2]
   sku_count, customer_count = tonumber(args[3]), tonumber(args[4])
end

local function three_skus()
   local a = math.random(1, sku_count)
   local b = math.random(1, sku_count - 1)
   if b >= a then b = b + 1 end
   local c = math.random(1, sku_count - 2)
   local lo, hi = math.min(a, b), math.max(a, b)
   if c >= lo then c = c + 1 end
   if c >= hi then c = c + 1 end
   return {a, b, c}
end

function request()
   sent = sent + 1
   local unique = string.format("%s-%d-%d", run, id, sent)
   local lines, total = {}, 0
   for i, sku in ipairs(three_skus()) do
      local quantity, price = (i == 1) and 2 or 1, 1000 + sku
      total = total + quantity * price
      lines[i] = string.format('{"sku":"BV%04d","quantity":%d,"unit_price_minor":%d}',
                               sku, quantity, price)
   end
   local body = string.format(
      '{"number":"W%s","currency":"EUR",' ..
      '"customer":{"email":"c%d@bench.example","name":"Bench Buyer"},' ..
      '"shipping_address":{"name":"Bench Buyer","line1":"Norregade 1","city":"Kobenhavn",' ..
      '"postal_code":"1165","country":"DK"},"lines":[%s],' ..
      '"payments":[{"method":"card","gateway":"stripe","reference":"ch_%s","amount_minor":%d}]}',
      unique, math.random(1, customer_count), table.concat(lines, ","), unique, total)
   return wrk.format("POST", "/api/v1/orders", {
      ["Authorization"] = auth,
      ["Content-Type"] = "application/json",
      ["Idempotency-Key"] = unique,
   }, body)
end
