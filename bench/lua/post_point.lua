-- POST one data point per request, each with its own Idempotency-Key and its own weekly period,
-- so that every request writes; the requests take the paths in turn.
-- Arguments: a tag unique to this run, the number of wrk threads, then the paths (each a weekly
-- measure without data).
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")

local FIRST_MONDAY = 946857600 -- 2000-01-03T00:00:00Z
local WEEK = 7 * 24 * 3600
local tag, threads
local paths = {}
local headers = {}
response = keep_first_refusal

function init(args)
   tag = args[1]
   threads = tonumber(args[2])
   for i = 3, #args do
      paths[#paths + 1] = args[i]
   end
   for name, value in pairs(wrk.headers) do
      headers[name] = value
   end
   headers["Content-Type"] = "application/json"
end

function request()
   local week = sent * threads + id -- the threads take turns: no period is written twice
   sent = sent + 1
   headers["Idempotency-Key"] = string.format("%s-%d-%d", tag, id, sent)
   local period = os.date("!%Y-%m-%d", FIRST_MONDAY + week * WEEK)
   local body = string.format('{"period": "%s", "value": %d.25}', period, week % 97)
   return wrk.format("POST", paths[week % #paths + 1], headers, body)
end
