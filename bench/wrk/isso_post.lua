-- Comments posted to Isso's API (POST /new?uri=...) as a browser's script does.
--
--   wrk ... -s bench/wrk/isso_post.lua URL -- AUTHORS TEXTS ORIGIN FIRST_TURN
--
-- AUTHORS: lines whose last tab-separated field is a display name (the same
-- readers.tsv as Gazette's posts). TEXTS: one JSON string a line. Turn N posts
-- text N mod the texts' count plus " (N)" as author N mod the authors' count.
-- Isso's pages send Origin and Referer, which it matches against its host.
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
  authors = {}
  for _, line in ipairs(read_lines(args[1])) do
    authors[#authors + 1] = line:match("([^\t]+)$")
  end
  texts = read_lines(args[2])
  origin = args[3]
  turn = tonumber(args[4] or "0") + (thread_number or 0)
  stride = tonumber(args[5] or "1")
  statuses = {}
end

function request()
  local author = authors[turn % #authors + 1]
  local text = texts[turn % #texts + 1]
  local body = '{"text": ' .. text:sub(1, -2) .. " (" .. turn .. ')", '
    .. '"author": "' .. author .. '", "email": null, "website": null, '
    .. '"parent": null, "notification": 0}'
  turn = turn + stride
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
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
