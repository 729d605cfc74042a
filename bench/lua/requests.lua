-- wrk script body; the generator puts `local requests = {...}` above this line.
-- Each request: {path, method, cookie, csrf, body, htmx}. Threads start at different
-- places in the list so that two threads do not ask for the same row at the same moment.

local counter = 0
start = 0

function setup(thread)
  thread:set("start", math.random(1, #requests))
end

function init(args)
  counter = start or 0
end

function request()
  counter = counter + 1
  local r = requests[(counter % #requests) + 1]
  local headers = { ["Cookie"] = r.cookie }
  if r.htmx then
    headers["HX-Request"] = "true"
  end
  if r.method ~= "GET" then
    headers["X-CSRFToken"] = r.csrf
    headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
  return wrk.format(r.method, r.path, headers, r.body)
end

function done(summary, latency, requests_)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
      .. '"latency_us": {"p50": %d, "p90": %d, "p95": %d, "p99": %d, "max": %d, "mean": %.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean
  ))
end
