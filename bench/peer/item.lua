-- item.lua: wrk script of bench/peer.sh: one model a request, its id drawn at random from
-- 1..PEER_IDS (the same seeded sequence for every server), after the path of the URL given
-- to wrk (".../api/v1/models/" or ".../items/models/").
local n = tonumber(os.getenv("PEER_IDS") or "100000")
local prefix
local thread_no = 0

function setup(thread)
    thread_no = thread_no + 1
    thread:set("seed", thread_no)
end

function init(args)
    prefix = wrk.path
    math.randomseed(seed or 1)
end

function request()
    return wrk.format("GET", prefix .. math.random(1, n))
end
