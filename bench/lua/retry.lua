-- POST one data point per request to the URL's measure, every request a retry of one of a few
-- Idempotency-Keys, each key always with the same body (its own weekly period): however many
-- requests are sent, the measure must get one point per key. Statuses other than 200, 201 and
-- 409 (a retry of a key whose first request is still running) are counted as refused.
-- Arguments: a tag unique to this run, and the number of keys.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")

local FIRST_MONDAY = 946857600 -- 2000-01-03T00:00:00Z
local WEEK = 7 * 24 * 3600
local requests = {}
response = refuse_unless({ [200] = true, [201] = true, [409] = true })

function init(args)
   local headers = {}
   for name, value in pairs(wrk.headers) do
      headers[name] = value
   end
   headers["Content-Type"] = "application/json"
   for key = 1, tonumber(args[2]) do
      headers["Idempotency-Key"] = string.format("%s-%d", args[1], key)
      local period = os.date("!%Y-%m-%d", FIRST_MONDAY + key * WEEK)
      local body = string.format('{"period": "%s", "value": %d.5}', period, key)
      requests[key] = wrk.format("POST", nil, headers, body)
   end
end

function request()
   sent = sent + 1
   return requests[(sent + id) % #requests + 1] -- the threads start on different keys
end
