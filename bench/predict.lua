-- wrk script for POST /predict: each request sends one real MNIST digit, cycling through the files in
-- $DIGIT_DIR: as a multipart PNG upload (digit-0.png ...), with FORMAT=body as the PNG itself for the
-- whole body, or with FORMAT=json as JSON pixels (digit-0.json ...); FORMAT=get sends a plain GET of the
-- path instead, the floor to compare with.
-- $API_KEY is sent as a bearer token when it is set. done() prints one machine-readable line:
-- RESULT requests requests/s p50-ms p99-ms errors.
local requests = {}
local next_request = 1

init = function(args)
  local dir = os.getenv("DIGIT_DIR")
  local json = os.getenv("FORMAT") == "json"
  local path = args[1] or "/predict"
  if os.getenv("FORMAT") == "get" then
    requests[1] = wrk.format("GET", path)
    return
  end
  local whole = os.getenv("FORMAT") == "body"
  local boundary = "----wrkpredict"
  local headers = {["Content-Type"] = json and "application/json" or whole and "image/png" or ("multipart/form-data; boundary=" .. boundary)}
  local key = os.getenv("API_KEY")
  if key and key ~= "" then headers["Authorization"] = "Bearer " .. key end
  local i = 0
  while true do
    local name = "digit-" .. i .. (json and ".json" or ".png")
    local file = io.open(dir .. "/" .. name, "rb")
    if not file then break end
    local content = file:read("*a")
    file:close()
    local body = content
    if not json and not whole then
      body = "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"images\"; filename=\"" .. name
        .. "\"\r\nContent-Type: image/png\r\n\r\n" .. content .. "\r\n--" .. boundary .. "--\r\n"
    end
    requests[#requests + 1] = wrk.format("POST", path, headers, body)
    i = i + 1
  end
  if #requests == 0 then error("no digit-N files in " .. tostring(dir)) end
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
