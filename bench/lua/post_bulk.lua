-- POST the same body (a file) to each path in turn, one path per request.
-- Arguments: the body's file, its content type, then the paths (each a measure without data).
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")

local body
local paths = {}
local headers = {}
response = keep_first_refusal

function init(args)
   local file = assert(io.open(args[1], "rb"))
   body = file:read("*a")
   file:close()
   for name, value in pairs(wrk.headers) do
      headers[name] = value
   end
   headers["Content-Type"] = args[2]
   for i = 3, #args do
      paths[#paths + 1] = args[i]
   end
end

function request()
   sent = sent + 1
   return wrk.format("POST", paths[(sent - 1) % #paths + 1], headers, body)
end
