"""Execute a notebook with nbclient, robust to a missed socket wake-up.

nbclient waits for a cell's ``execute_reply`` with one ``await shell_channel.get_msg(timeout=600)``.
With pyzmq's asyncio sockets that wait can miss the wake-up of a message that has already
arrived (jupyter/nbclient#312, "when cell contains ipywidget, execute cell will sometimes block"):
the kernel is idle, its reply is in the socket, and the poll only sees it when its whole timeout
has run out. Seen here: notebook 2.0's ``sk.explore(survey)`` cell waited the full 600 s in two
runs (kernel idle, ``In[-1]`` the explorer cell), then passed.

So the client here asks the sockets in slices of at most half a second until the cell's own
deadline: a reply already there is read at the next slice, and a cell that really runs long still
times out at ``timeout``. The kernel, the messages and the outputs are nbclient's own.
"""

from __future__ import annotations

import time
from queue import Empty
from typing import Any

from nbclient import NotebookClient

SLICE = 0.5  # seconds: the longest a missed wake-up can delay a message


def _in_slices(channel: Any) -> None:
    get = channel.get_msg

    async def get_msg(timeout: float | None = None) -> dict:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = SLICE if deadline is None else max(0.0, min(SLICE, deadline - time.monotonic()))
            try:
                return await get(timeout=left)
            except Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise

    channel.get_msg = get_msg


class SlicedClient(NotebookClient):
    """:class:`nbclient.NotebookClient` whose shell and IOPub waits are taken in slices."""

    async def async_start_new_kernel_client(self) -> Any:
        kc = await super().async_start_new_kernel_client()
        _in_slices(kc.shell_channel)
        _in_slices(kc.iopub_channel)
        return kc
