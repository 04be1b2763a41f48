-- wrk script for POST /predict: each request uploads one real MNIST digit as a PNG, cycling through
-- the PNGs in $PNG_DIR (digit-0.png ...), with $API_KEY as a bearer token when it is set. done() prints
-- one machine-readable line: RESULT requests requests/s p50-ms p99-ms errors.
local requests = {}
local next_request = 1

init = function(args)
  local dir = os.getenv("PNG_DIR")
  local path = args[1] or "/predict"
  local boundary = "----wrkpredict"
  local headers = {["Content-Type"] = "multipart/form-data; boundary=" .. boundary}
  local key = os.getenv("API_KEY")
  if key and key ~= "" then headers["Authorization"] = "Bearer " .. key end
  local i = 0
  while true do
    local file = io.open(dir .. "/digit-" .. i .. ".png", "rb")
    if not file then break end
    local png = file:read("*a")
    file:close()
    local body = "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"images\"; filename=\"digit-" .. i
      .. ".png\"\r\nContent-Type: image/png\r\n\r\n" .. png .. "\r\n--" .. boundary .. "--\r\n"
    requests[#requests + 1] = wrk.format("POST", path, headers, body)
    i = i + 1
  end
  if #requests == 0 then error("no digit-N.png in " .. tostring(dir)) end
end

request = function()
  local r = requests[next_request]
  next_request = next_request % #requests + 1
  return r
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %.3f %.3f %.3f %d\n", summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, e.connect + e.read + e.write + e.status + e.timeout))
end
