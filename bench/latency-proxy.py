"""A TCP proxy on 127.0.0.1 that holds every chunk for a fixed time in each direction, so a
server on this machine answers as one on another host would (a round trip of 2 × DELAY_MS).
    python3 bench/latency-proxy.py LISTEN_PORT TARGET_HOST TARGET_PORT DELAY_MS
Prints "ready" once it listens. Chunks keep their order; nothing is dropped."""
import asyncio
import sys


async def pipe(reader, writer, delay):
    queue = asyncio.Queue()
    loop = asyncio.get_running_loop()

    async def forward():
        while True:
            due, data = await queue.get()
            if data is None:
                writer.close()
                return
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            writer.write(data)
            await writer.drain()

    sending = asyncio.create_task(forward())
    try:
        while data := await reader.read(65536):
            queue.put_nowait((loop.time() + delay, data))
    finally:
        queue.put_nowait((loop.time() + delay, None))
        await sending


async def main():
    listen, host, port, delay = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4]) / 1000

    async def handle(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection(host, port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(pipe(client_reader, server_writer, delay), pipe(server_reader, client_writer, delay),
                             return_exceptions=True)

    server = await asyncio.start_server(handle, "127.0.0.1", listen)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
