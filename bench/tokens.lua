-- wrk script: sends the tokens of the file TOKENS (one per line) in rotation, one per request.
local tokens = {}
local file = os.getenv("TOKENS")
for line in io.lines(file) do
  if #line > 0 then tokens[#tokens + 1] = line end
end
local i = 0
request = function()
  i = (i % #tokens) + 1
  return wrk.format("GET", nil, { ["Authorization"] = "Bearer " .. tokens[i] })
end
