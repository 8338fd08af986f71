-- Shared by every load: numbers the threads (global `id` in each), counts the requests each
-- sends (global `sent`, which each script's request() adds to), and prints the result as one
-- JSON line, which bench/wrk.py reads instead of wrk's text.
local threads = {}
sent = 0

function setup(thread)
   thread:set("id", #threads)
   threads[#threads + 1] = thread
end

-- A script that sets `response = keep_first_refusal` reports why a request was refused.
function keep_first_refusal(status, headers, body)
   if status > 399 and refusal == nil then
      refusal = string.format("%d %s", status, body:sub(1, 200))
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
   for _, thread in ipairs(threads) do
      total_sent = total_sent + thread:get("sent")
      local seen = thread:get("refusal")
      if seen then
         refusal = json_string(seen)
      end
   end
   io.write(string.format(
      'BENCH_JSON {"sent": %d, "requests": %d, "duration_us": %d, "socket_errors": %d, '
         .. '"status_errors": %d, "p50_us": %d, "p99_us": %d, "refusal": %s}\n',
      total_sent, summary.requests, summary.duration,
      errors.connect + errors.read + errors.write + errors.timeout, errors.status,
      latency:percentile(50), latency:percentile(99), refusal))
end
