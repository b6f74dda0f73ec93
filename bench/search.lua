-- search.lua: wrk script for `make bench`: each request is the next search of
-- bench/search-queries.txt (path in the QUERIES environment variable), so a run mixes
-- common and rare words, prefixes, places and filters. Each thread starts at its own place.
local queries = {}
for line in io.lines(os.getenv("QUERIES")) do
  if line ~= "" and line:sub(1, 1) ~= "#" then
    queries[#queries + 1] = (line:gsub(" ", "%%20"))
  end
end
local i = 0
local n = 0

function setup(thread)
  n = n + 1
  thread:set("start", n * 7)
end

function init(args)
  i = start or 0
end

function request()
  i = i % #queries + 1
  return wrk.format("GET", "/api/v1/models?limit=50&" .. queries[i])
end
