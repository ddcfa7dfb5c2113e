-- wrk script for `make bench` (bench/load.py runs it; not for use on its own).
--
--   wrk -t2 -c20 -d10s --timeout 30s -s scripts/bench_wrk.lua URL -- [SESSIONID ...]
--
-- Every request says it came through the TLS proxy (X-Forwarded-Proto: https, as the production
-- settings expect behind one) and, when session ids are given, carries them in turn, so the
-- connections act as that many signed-in users. Counts responses by status and prints one line
-- "WRK_JSON {...}" with the totals and the latency percentiles (microseconds) at the end.

local sessions = {}
local turn = 0
local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   sessions = args
   codes = {}
   turn = math.random(math.max(#sessions, 1))
end

function request()
   local headers = { ["X-Forwarded-Proto"] = "https" }
   if #sessions > 0 then
      turn = turn % #sessions + 1
      headers["Cookie"] = "sessionid=" .. sessions[turn]
   end
   return wrk.format("GET", nil, headers)
end

function response(status, headers, body)
   codes[status] = (codes[status] or 0) + 1
end

function done(summary, latency, requests)
   local total = {}
   for _, thread in ipairs(threads) do
      for status, n in pairs(thread:get("codes")) do
         total[status] = (total[status] or 0) + n
      end
   end
   local parts = {}
   for status, n in pairs(total) do
      table.insert(parts, string.format('"%d": %d', status, n))
   end
   local e = summary.errors
   io.write(string.format(
      'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "mean_us": %.1f, "p50_us": %d, '
      .. '"p90_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "errors": {"connect": %d, "read": %d, '
      .. '"write": %d, "status": %d, "timeout": %d}, "codes": {%s}}\n',
      summary.requests, summary.duration, summary.bytes, latency.mean, latency:percentile(50),
      latency:percentile(90), latency:percentile(95), latency:percentile(99), latency.max,
      e.connect, e.read, e.write, e.status, e.timeout, table.concat(parts, ", ")))
end
