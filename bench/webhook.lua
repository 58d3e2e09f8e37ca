-- wrk script: compliant and non-compliant user.created events whose userNames (and delivery ids)
-- vary per request, so every request is a new decision and a new audit row.
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  token = os.getenv("SCIMGATE_WEBHOOK_TOKEN") or "bench-token"
  -- Unique per run and thread: a repeated delivery id would be answered from the audit, not decided.
  prefix = (os.getenv("BENCH_RUN") or tostring(os.time())) .. "-" .. tostring(tid)
end

function request()
  counter = counter + 1
  local domain = (counter % 4 == 0) and "evil.com" or "acme.com"
  local user = "u" .. prefix .. "-" .. counter .. "@" .. domain
  local body = '{"eventType":"user.created","eventTimestamp":"2026-11-29T10:00:00Z","data":{"id":"' .. prefix .. counter ..
      '","userName":"' .. user .. '","emails":[{"value":"' .. user .. '","type":"work","primary":true}],' ..
      '"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Engineering","costCenter":"CC-1234"}}}'
  return wrk.format("POST", os.getenv("BENCH_PATH") or "/webhook/scim-validation", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
    ["x-genesys-webhook-id"] = prefix .. "-" .. counter
  }, body)
end

function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d duration_us=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f non2xx3xx=%d errors=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
