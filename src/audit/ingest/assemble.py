"""Numeric columns of a large file put together chunk by chunk, in memory of their own.

Each chunk's numbers are small arrays (24,000 floats: 190 KB) that the C allocator places among the
chunk's temporary buffers. Kept to the end and then joined by pd.concat, they leave that memory
full of holes it cannot give back (the posts benchmark held ~25 MB more than it used), and the
file's numbers are held twice while they are joined. Here each chunk's values are copied at once,
in file order, to the end of one anonymous memory map per column, grown in place (mremap) and never
copied again, and the chunk's own array is let go: the whole column is a view of the map.
"""
from __future__ import annotations

import mmap

import numpy as np

_FIRST = 1 << 20  # bytes mapped at first: address space only, pages are used as they are written


class Numbers:
    """One numeric column (a numpy dtype of fixed size), appended to chunk by chunk."""

    def __init__(self):
        self.map = mmap.mmap(-1, _FIRST, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)  # private: mremap grows it
        self.used = 0
        self.dtype: np.dtype | None = None

    def append(self, values: np.ndarray) -> None:
        """Copy `values` to the end of the column (every chunk of one dtype: ValueError otherwise)."""
        values = np.ascontiguousarray(values)
        if self.dtype is None:
            self.dtype = values.dtype
        elif values.dtype != self.dtype:
            raise ValueError(f"a chunk of {values.dtype} in a column of {self.dtype}")
        data = values.reshape(-1).view(np.uint8)
        end = self.used + data.size
        if end > len(self.map):
            self.map.resize(max(2 * len(self.map), end))
        window = np.frombuffer(self.map, np.uint8, count=data.size, offset=self.used)
        window[:] = data
        del window  # the map cannot grow while a view of it exists
        self.used = end

    def array(self) -> np.ndarray:
        """The values appended, as one array: a view of the map (no copy). Append nothing after."""
        if self.dtype is None:
            return np.zeros(0)
        return np.frombuffer(self.map, self.dtype, count=self.used // self.dtype.itemsize)
