-- Comments posted to Gazette's JSON API by signed-in readers taking turns.
--
--   wrk ... -s bench/wrk/gazette_post.lua URL -- READERS TEXTS ORIGIN FIRST_TURN
--
-- READERS: lines of "session<TAB>csrf cookie<TAB>csrf token<TAB>name", as
-- bench/peers_gazette.py writes them from GET /api/v1/session. TEXTS: one JSON
-- string a line. Turn N is reader N mod the readers' count, with text N mod the
-- texts' count plus " (N)", so no text repeats; FIRST_TURN carries the turns on
-- from the warm-up, so that no reader posts again sooner than a whole round.
-- Prints how many answers came with each status.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads - 1)
end

local function read_lines(path)
  local lines = {}
  for line in io.lines(path) do
    if line ~= "" then
      lines[#lines + 1] = line
    end
  end
  return lines
end

function init(args)
  readers = {}
  for _, line in ipairs(read_lines(args[1])) do
    local session, cookie, token = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)")
    readers[#readers + 1] = {
      cookie = "sessionid=" .. session .. "; csrftoken=" .. cookie,
      token = token,
    }
  end
  texts = read_lines(args[2])
  origin = args[3]
  turn = tonumber(args[4] or "0") + (thread_number or 0)
  stride = tonumber(args[5] or "1")
  statuses = {}
end

function request()
  local reader = readers[turn % #readers + 1]
  local text = texts[turn % #texts + 1]
  local body = '{"body": ' .. text:sub(1, -2) .. " (" .. turn .. ')"}'
  turn = turn + stride
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["Cookie"] = reader.cookie,
    ["X-CSRFToken"] = reader.token,
    ["Origin"] = origin,
    ["Referer"] = origin .. "/",
  }, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do
    io.write(string.format("status %d: %d\n", status, count))
  end
end
