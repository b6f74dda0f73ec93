-- soak.lua: wrk script for `make soak` (bench/soak.sh). Each thread cycles through a mix
-- of an office's day: lists, one model, searches, a report, and writes with an API token:
-- new models (POST) and edits of its own models (PATCH with If-Match). Every model it
-- creates is titled "soak-T-N" (thread T, request N), so that the end can count them in
-- the database and compare with the writes acknowledged here. Now and then it also edits
-- a generated model with If-Match "1": those answer 200 once and then 409 (a version
-- conflict, expected, counted apart).
-- Responses are told apart by their bodies (several connections share a thread), so no
-- request has to be matched with its answer.
local N = tonumber(os.getenv("SOAK_MODELS") or "100000")
local threads = {}
local tid = 0

function setup(thread)
  tid = tid + 1
  thread:set("tid", tid)
  table.insert(threads, thread)
end

local words = { "an%20ninh", "n%C3%B4ng%20th%C3%B4n", "ph%E1%BB%A5%20n%E1%BB%AF", "camera", "ng%C3%A3%20ba",
                "%C4%91%C6%B0%E1%BB%9Dng", "h%E1%BB%99i%20n%C3%B4ng%20d%C3%A2n", "tu%E1%BA%A7n%20tra" }
local lists = { "limit=50", "limit=50&field=economic", "limit=50&status=recognized", "limit=50&sort=title",
                "limit=50&kind=individual", "limit=20&typical=true" }
local slot, n = 0, 0
local own = {}      -- id -> version of this thread's models not being edited now
local own_ids = {}  -- ids in own, for picking
local busy = {}     -- id -> true while its PATCH is in flight

function init(args)
  posts_ok, patches_ok, other_ok, conflicts, errors, reads_ok, posts_sent = 0, 0, 0, 0, 0, 0, 0
  statuses = ""
  math.randomseed(tid * 7919 + os.time())
end

-- wrk.format's headers replace wrk.headers (Host, the token from -H): add them back
local function hdrs(extra)
  local h = {}
  for k, v in pairs(wrk.headers) do h[k] = v end
  for k, v in pairs(extra) do h[k] = v end
  return h
end

local function new_model()
  n = n + 1
  posts_sent = posts_sent + 1
  local title = string.format("soak-%d-%d", tid, n)
  local body = '{"title":"' .. title .. '","field":"economic","kind":"collective","unit_code":"20368",' ..
    '"hierarchy":2024,"registration_level":"commune","registered_on":"2024-03-15",' ..
    '"summary":"Soak: ghi và đọc cùng lúc.","owner":"Hội Nông dân xã","owner_type":"organization",' ..
    '"tags":["soak"],"status":"registered"}'
  return wrk.format("POST", "/api/v1/models", hdrs({ ["Content-Type"] = "application/json" }), body)
end

local function edit_own()
  if #own_ids == 0 then return new_model() end
  local k = math.random(#own_ids)
  local id = own_ids[k]
  own_ids[k] = own_ids[#own_ids]
  own_ids[#own_ids] = nil
  busy[id] = true
  n = n + 1
  local body = string.format('{"summary":"soak edit %d-%d"}', tid, n)
  return wrk.format("PATCH", "/api/v1/models/" .. id,
    hdrs({ ["Content-Type"] = "application/json", ["If-Match"] = '"' .. own[id] .. '"' }), body)
end

function request()
  slot = slot % 20 + 1
  if slot <= 5 then
    return wrk.format("GET", "/api/v1/models?" .. lists[math.random(#lists)])
  elseif slot <= 8 then
    return wrk.format("GET", "/api/v1/models/" .. math.random(N))
  elseif slot <= 11 then
    return wrk.format("GET", "/api/v1/models?limit=50&q=" .. words[math.random(#words)])
  elseif slot == 12 then
    return wrk.format("GET", "/api/v1/reports/summary?hierarchy=2024&unit=49")
  elseif slot <= 16 then
    return new_model()
  elseif slot <= 19 then
    return edit_own()
  else
    n = n + 1
    return wrk.format("PATCH", "/api/v1/models/" .. math.random(N),
      hdrs({ ["Content-Type"] = "application/json", ["If-Match"] = '"1"' }),
      string.format('{"summary":"soak conflict %d-%d"}', tid, n))
  end
end

function response(status, headers, body)
  if status == 201 then
    local id = tonumber(body:match('^{"id":(%d+)'))
    if id and body:find('"title":"soak%-') then
      posts_ok = posts_ok + 1
      own[id] = 1
      own_ids[#own_ids + 1] = id
    else
      errors = errors + 1
      statuses = statuses .. " 201?"
    end
  elseif status == 200 and body:sub(1, 6) == '{"id":' and body:find('"summary":"soak ') then
    local id = tonumber(body:match('^{"id":(%d+)'))
    local v = tonumber(body:match('"version":(%d+)'))
    if busy[id] then
      patches_ok = patches_ok + 1
      busy[id] = nil
      own[id] = v
      own_ids[#own_ids + 1] = id
    else
      other_ok = other_ok + 1
    end
  elseif status >= 200 and status < 300 then
    reads_ok = reads_ok + 1
  elseif status == 409 then
    conflicts = conflicts + 1
  else
    errors = errors + 1
    if #statuses < 200 then statuses = statuses .. " " .. status end
  end
end

function done(summary, latency, requests)
  local t = { posts_ok = 0, patches_ok = 0, other_ok = 0, conflicts = 0, errors = 0, reads_ok = 0, posts_sent = 0 }
  local st = ""
  for _, th in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + th:get(k) end
    st = st .. th:get("statuses")
  end
  for k, v in pairs(t) do io.write(string.format("SOAK %s %d\n", k, v)) end
  io.write(string.format("SOAK requests %d\n", summary.requests))
  io.write(string.format("SOAK p50_ms %.1f\nSOAK p99_ms %.1f\nSOAK max_ms %.1f\n", latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("SOAK other_statuses%s\n", st))
end
