-- create.lua: wrk script for `make bench`, the "model creation" row. Each request is a
-- POST /api/v1/models of a new model with an API token (the -H of bench/run.sh), titled
-- "bench-T-N" (thread T, request N) so that titles never repeat.
local tid = 0
function setup(thread)
  tid = tid + 1
  thread:set("tid", tid)
end

local n = 0
function request()
  n = n + 1
  local h = {}
  for k, v in pairs(wrk.headers) do h[k] = v end
  h["Content-Type"] = "application/json"
  local body = string.format('{"title":"bench-%d-%d tổ tự quản","field":"economic","kind":"collective",' ..
    '"unit_code":"20368","hierarchy":2024,"registration_level":"commune","registered_on":"2024-03-15",' ..
    '"summary":"Mô hình tạo khi đo hiệu năng.","owner":"Hội Nông dân xã","owner_type":"organization",' ..
    '"tags":["bench"],"status":"registered"}', tid, n)
  return wrk.format("POST", "/api/v1/models", h, body)
end
