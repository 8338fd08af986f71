-- A mix of reads and writes of one organisation, each request drawn at random (fixed seed):
-- the chart of a random measure, the scorecard, the matrix, or one new data point of a random
-- measure (no Idempotency-Key). Each measure's new points take the weeks after its last one,
-- in turn, so every write creates a point. Run it with one wrk thread: one counter per measure.
-- Arguments: a file of the organisation's measures, one a line: its id, "value" or "ratio" (the
-- kind of point it takes), and the Unix time of its first week without data; then the seed, and
-- the percentages of charts, scorecards and matrices (the rest are writes).
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")

local WEEK = 7 * 24 * 3600
local measures = {}
local charts, scorecards, matrices
local get, post = {}, {}
response = keep_first_refusal

function init(args)
   for line in io.lines(args[1]) do
      local measure, kind, first_week = line:match("^(%S+) (%a+) (%d+)$")
      measures[#measures + 1] = {
         chart = "/api/v1/measures/" .. measure .. "/chart",
         data = "/api/v1/measures/" .. measure .. "/data",
         ratio = kind == "ratio",
         next_week = tonumber(first_week),
      }
   end
   math.randomseed(tonumber(args[2]))
   charts = tonumber(args[3])
   scorecards = charts + tonumber(args[4])
   matrices = scorecards + tonumber(args[5])
   for name, value in pairs(wrk.headers) do
      get[name] = value
      post[name] = value
   end
   post["Content-Type"] = "application/json"
end

local function new_point(measure)
   local period = os.date("!%Y-%m-%d", measure.next_week)
   local n = math.floor(measure.next_week / WEEK)
   measure.next_week = measure.next_week + WEEK
   if measure.ratio then -- a proportion's numerator is at most its denominator
      return string.format('{"period": "%s", "numerator": %d.0, "denominator": 100.0}',
         period, 40 + n % 50)
   end
   return string.format('{"period": "%s", "value": %d.0}', period, 10 + n % 20) -- whole: counts
end

function request()
   sent = sent + 1
   if sent == 1 then -- wrk's check of the script, before the load: it must take no week
      return wrk.format("GET", "/api/v1/scorecard", get)
   end
   local draw = math.random(100)
   if draw <= charts then
      return wrk.format("GET", measures[math.random(#measures)].chart, get)
   elseif draw <= scorecards then
      return wrk.format("GET", "/api/v1/scorecard", get)
   elseif draw <= matrices then
      return wrk.format("GET", "/api/v1/matrix", get)
   end
   local measure = measures[math.random(#measures)]
   return wrk.format("POST", measure.data, post, new_point(measure))
end
