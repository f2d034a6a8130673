-- wrk script of the webhook bench (bench/webhook/load.py): POSTs pre-signed, unique bodies read from the file
-- named by the first argument (one "<X-Hub-Signature-256> <body>" per line), each once, in order; for GET runs
-- (no argument) only the summary. done() prints the figures as one JSON line for load.py.
local bodies, signatures, count, next_index = {}, {}, 0, 0

function init(args)
  if args[1] == nil then
    return
  end
  for line in io.lines(args[1]) do
    local signature, body = line:match("^(%S+) (.*)$")
    count = count + 1
    signatures[count], bodies[count] = signature, body
  end
end

function request()
  if count == 0 then
    return wrk.format(nil, nil, nil, nil)
  end
  next_index = next_index % count + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["Host"] = "localhost",
                                  ["X-Hub-Signature-256"] = signatures[next_index]}, bodies[next_index])
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "seconds": %f, "non_2xx": %d, "socket_errors": %d, "p50_ms": %f, "p99_ms": %f}\n',
    summary.requests, summary.duration / 1e6, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
