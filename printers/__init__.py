"""Receipt printing on ESC/POS thermal printers: receipts as data, their bytes and previews,
connections, status, the job journal and the printer thread."""

from printers.escpos_cache import use_escpos_cache

use_escpos_cache()
