-- GET the URL given to wrk, with the headers given to it (-H).
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")

local prepared

function init(args)
   prepared = wrk.format()
end

function request()
   sent = sent + 1
   return prepared
end
