-- wrk script for the dpop workload: the token of the file TOKEN as `Authorization: DPoP`, and a proof of the file
-- PROOFS per request (one per line, made ahead of time by DpopProofs.java), each used once: the threads share the
-- lines out (thread n takes every n-th), and a thread whose proofs are used up stops (wrk's req/s counts the time
-- it really ran).
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end

local proofs = {}
local token
local next_proof = 0
function init(args)
  local n = tonumber(id) -- set by setup()
  local total = tonumber(os.getenv("THREADS") or "2")
  local f = io.open(os.getenv("TOKEN"))
  token = f:read("*l")
  f:close()
  local i = 0
  for line in io.lines(os.getenv("PROOFS")) do
    if i % total == n and #line > 0 then proofs[#proofs + 1] = line end
    i = i + 1
  end
end

request = function()
  next_proof = next_proof + 1
  if next_proof > #proofs then
    wrk.thread:stop()
    next_proof = #proofs
  end
  return wrk.format("GET", nil, { ["Authorization"] = "DPoP " .. token, ["DPoP"] = proofs[next_proof] })
end
