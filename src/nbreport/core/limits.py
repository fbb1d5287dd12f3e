"""The largest amount a report writes: beyond it a number is a typo, and beyond about 10^25
Babel's decimal arithmetic (28 digits) fails half-way through a report with
``InvalidOperation``. 10^15, a thousand trillion, is far above any real budget, target, spend or
count, and far below what breaks."""

LARGEST_AMOUNT = 10**15
LARGEST_AMOUNT_TEXT = "10^15 (1,000,000,000,000,000)"
