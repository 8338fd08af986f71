-- Shared by every load: numbers the threads (global `id` in each), counts the requests each
-- sends (global `sent`, which each script's request() adds to), and prints the result as one
-- JSON line, which bench/wrk.py reads instead of wrk's text.
local threads = {}
sent = 0

function setup(thread)
   thread:set("id", #threads)
   threads[#threads + 1] = thread
end

local function keep_refusal(status, body)
   if refusal == nil then
      refusal = string.format("%d %s", status, body:sub(1, 200))
   end
end

-- A script that sets `response = keep_first_refusal` reports why a request was refused.
function keep_first_refusal(status, headers, body)
   if status > 399 then
      keep_refusal(status, body)
   end
end

-- A script that sets `response = refuse_unless({[200] = true, …})` counts as refused only the
-- statuses it does not expect (global `unexpected`), where wrk counts every status of 400 or
-- more, and reports why the first of them was refused.
function refuse_unless(expected)
   unexpected = 0
   return function(status, headers, body)
      if not expected[status] then
         unexpected = unexpected + 1
         keep_refusal(status, body)
      end
   end
end

local function json_string(text)
   local escaped = text:gsub('[%c"\\]', function(c)
      return string.format("\\u%04x", c:byte())
   end)
   return '"' .. escaped .. '"'
end

function done(summary, latency, requests)
   local errors = summary.errors
   local total_sent, refusal = -1, "null" -- wrk calls request() once more, to check it
   local unexpected -- nil: the script counts no statuses of its own
   for _, thread in ipairs(threads) do
      total_sent = total_sent + thread:get("sent")
      local seen = thread:get("refusal")
      if seen then
         refusal = json_string(seen)
      end
      local counted = thread:get("unexpected")
      if counted then
         unexpected = (unexpected or 0) + counted
      end
   end
   io.write(string.format(
      'BENCH_JSON {"sent": %d, "requests": %d, "duration_us": %d, "socket_errors": %d, '
         .. '"status_errors": %d, "unexpected": %s, "p50_us": %d, "p99_us": %d, '
         .. '"refusal": %s}\n',
      total_sent, summary.requests, summary.duration,
      errors.connect + errors.read + errors.write + errors.timeout, errors.status,
      unexpected and tostring(unexpected) or "null",
      latency:percentile(50), latency:percentile(99), refusal))
end
