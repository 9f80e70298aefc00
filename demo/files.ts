/**
 * Files for the demo tickets, one of each accepted type, made here so the seed needs no binary
 * files: a screenshot (PNG) and a photo (JPEG) drawn once in Chromium and kept as base64, and a
 * PDF, a ZIP, a text file and a log built byte by byte.
 */

export interface DemoFile {
  name: string;
  bytes: Uint8Array<ArrayBuffer>;
}

const fromBase64 = (b64: string) => Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
const text = (s: string): Uint8Array<ArrayBuffer> => new Uint8Array(new TextEncoder().encode(s));

/** A browser window with an error page, 320×200. */
const SCREENSHOT_PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAUAAAADICAYAAACZBDirAAAJD0lEQVR4AezcPW5dRRQH8CuvgI4iUiJFrihQoGEJ1KlYAxUroGIF" +
  "VKyBKjVLoIGABA0WEpFS0LEDCLEiOcnze/fj3Jlz5v6iXMd5no8zvzP+x0rxrn757Y9/PQzcAXfgiHfgavKLAAECBxUQgAdtvGMT" +
  "IDBNhw5AF4AAgWMLCMBj99/pCRxaYPgA/Pij68nDwB0Y+w6sTfHhA3AtzPDzHJAAgfv/D/DhV19O55777K5/fDKde+6b9/Sfb6Zz" +
  "z33zvE6AAIG1An4CXCtnHgEC5QUEYPkWOsByATMI3AoIwFsHHwkQOKCAADxg0x2ZAIFbAQF46+AjgaMIOOcdAQF4B8OnBAgcS0AA" +
  "HqvfTkuAwB2BewPwxbffTeeeO2u89enNZ8+nc89bg+/85dkHX0/nnjtDfUqAAIFVAu9OujcA3x3o7wQIEBhNYPgA/PX3m8nDwB0Y" +
  "+w6sDebhA3AtjHkECIwvcKgAHL+dTkiAwBIBAbhEy1gCBIYSEIBDtdNhCBBYInD1+NGDyXMAA312z92B9+6AnwCX/HNhLAECQwkI" +
  "wKHa6TAECCwREIBLtIwtKqBsAqcFBOBpF68SIHAAAQF4gCY7IgECpwUE4GkXrxIYRcA5zggIwDM4vkSAwNgCAnDs/jodAQJnBATg" +
  "GRxfIkCgtsCl6gXgJSFfJ0BgWAEBOGxrHYwAgUsCAvCSkK8TIDCswNABOGzXHIwAgRABARjCaBECBCoKCMCKXVMzAQIhAgIwhDHh" +
  "IkoiQOCigAC8SGQAAQKjCgjAUTvrXAQIXBQQgBeJDKgnoGIC8wQE4DwnowgQGFBAAA7YVEciQGCegACc52QUgSoC6lwgIAAXYBlK" +
  "gMBYAgJwrH46DQECCwQE4AIsQwkQyC2wtDoBuFTMeAIEhhEQgMO00kEIEFgqIACXihlPgMAwAkMF4DBdcRACBJoIhAXgw+tPJg8D" +
  "dyDXHWiSIoU3CQvAwgZKJ0DgoAICcJTGOwcBAosFBOBiMhMIEBhFQACO0knnIEBgsYAAXExmQj4BFRFYJyAA17mZRYDAAAICcIAm" +
  "OgIBAusEBOA6N7MIZBFQxwYBAbgBz1QCBGoLCMDa/VM9AQIbBATgBjxTCRDoK7B1dwG4VdB8AgTKCgjAsq1TOAECWwUE4FZB8wkQ" +
  "KCtQOgDLqiucAIEUAgIwRRsUQYBADwEB2EPdngQIpBAIC8AXNz9PnoYGvN23GXcgRcokLiIsABOfUWkECBA4KSAAT7J4kQCBIwgI" +
  "wCN0ebgzOhCBGAEBGONoFQIECgoIwIJNUzIBAjECAjDG0SoEWgnYJ1BAAAZiWooAgVoCArBWv1RLgECggAAMxLQUAQL7CkSvLgCj" +
  "Ra1HgEAZAQFYplUKJUAgWkAARotajwCBMgKlArCMqkIJECghIABLtEmRBAjsISAA91C1JgECJQQEYIk2TdOkTgIEwgUEYDipBQkQ" +
  "qCIgAKt0Sp0ECIQLCMBwUgvGC1iRwD4CAnAfV6sSIFBAQAAWaJISCRDYRyAsAL9/9sPkYeAOhN+Bob+v9om1+auGBeD8LY0kQIBA" +
  "DgEBmKMPqiBAoIOAAOyAbksCBOYJ7D1KAO4tbH0CBNIKCMC0rVEYAQJ7CwjAvYWtT4BAWoHUAZhWTWEECAwhEBaAXzz9fPIwcAfc" +
  "gSV3oHeKhgVg74PYnwABAksFBOBSsVbj7UOAwO4CAnB3YhsQIJBVQABm7Yy6CBDYXUAA7k5sg+UCZhBoIyAA2zjbhQCBhAICMGFT" +
  "lESAQBuBsAD0PnDeB84d2H4Hpmlq851vl9cCYQH4ejUfCBAgUEhAABZqllIJEIgVEICxnlYjQGCDQOupArC1uP0IEEgjIADTtEIh" +
  "BAi0FhCArcXtR4BAGoFUAZhGRSEECBxCICwAl7wHmLHeM84dOH0HDpE6iQ4ZFoCJzqQUAgQIzBIQgLOYGgyyBQECzQUEYHNyGxIg" +
  "kEVAAGbphDoIEGguIACbk9vwfQGvEOgjIAD7uNuVAIEEAgIwQROUQIBAHwEB2MfdrgTeCPizo4AA7IhvawIE+goIwL7+didAoKOA" +
  "AOyIb2sCRxfofX4B2LsD9idAoJuAAOxGb2MCBHoLCMDeHbA/AQLdBLoGYLdT25gAAQKvBMIC8O9Pn0yecQ1e3RW/CQwnEBaAw8k4" +
  "EAECwwsIwF4tti8BAt0FBGD3FiiAAIFeAgKwl7x9CRDoLiAAu7fgiAU4M4EcAgIwRx9UQYBABwEB2AHdlgQI5BAQgDn6oIrjCDhp" +
  "IgEBmKgZSiFAoK2AAGzrbTcCBBIJCMBEzVAKgdEFsp1PAGbriHoIEGgmIACbUduIAIFsAgIwW0fUQ4BAM4GmAdjsVDYiQIDADAEB" +
  "OAPJEAIExhQQgGP21akIEJghIABnIIUMsQgBAukEBGC6liiIAIFWAgKwlbR9CBBIJyAA07VkxIKciUBOgbAA/PCn55NnXIOc11dV" +
  "BLYJhAXgtjLMJkCAQHsBAdje3I7HEnDaxAICMHFzlEaAwL4CAnBfX6sTIJBYQAAmbo7SCFQXyF6/AMzeIfURILCbgADcjdbCBAhk" +
  "FxCA2TukPgIEdhPYNQB3q9rCBAgQCBAQgAGIliBAoKaAAKzZN1UTIBAgIAADEE8u4UUCBNILCMD0LVIgAQJ7CQjAvWStS4BAegEB" +
  "mL5FFQtUM4EaAgKwRp9USYDADgICcAdUSxIgUEMgLAD//Ovl5GHgDrz0fdAgC6LiNSwAowqyDgECBFoJCMBW0vYhQCCdgABM1xIF" +
  "EagrUK1yAVitY+olQCBMQACGUVqIAIFqAmEB+PjRg8nDwB1wB1rcgaigDQvA/wvyECBAoJKAAKzULbUSIBAqIABDOS1GgEAlAQEY" +
  "1S3rECBQTkAAlmuZggkQiBIQgFGS1iFAoJyAACzXsowFq4lATQEBWLNvqiZAIEBAAAYgWoIAgZoCArBm31SdR0AlhQUEYOHmKZ0A" +
  "gW0CAnCbn9kECBQWEICFm6d0Ar0Fqu8vAKt3UP0ECKwWEICr6UwkQKC6gACs3kH1EyCwWmBTAK7e1UQCBAgkEBCACZqgBAIE+ggI" +
  "wD7udiVAIIGAAFzbBPMIECgvIADLt9ABCBBYK/AfAAAA//8rK5WoAAAABklEQVQDAFdmGcylMMxkAAAAAElFTkSuQmCC";

/** A server rack with one red light, 180×120. */
const RACK_JPEG =
  "/9j/4AAQSkZJRgABAQAAAQABAAD/4gHYSUNDX1BST0ZJTEUAAQEAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABh" +
  "Y3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" +
  "AAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAAB" +
  "UAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAA" +
  "AAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9Y" +
  "WVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAM" +
  "ZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADb/2wBDAA4KCw0LCQ4NDA0QDw4RFiQXFhQUFiwgIRok" +
  "NC43NjMuMjI6QVNGOj1OPjIySGJJTlZYXV5dOEVmbWVabFNbXVn/2wBDAQ8QEBYTFioXFypZOzI7WVlZWVlZWVlZWVlZWVlZWVlZ" +
  "WVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVn/wAARCAB4ALQDASIAAhEBAxEB/8QAGgABAAMBAQEAAAAAAAAAAAAAAAME" +
  "BQECBv/EADMQAAICAgEBBQcEAQQDAAAAAAECAAMEERIhEzFBUVIFFFNhcYGhIjORsTIVI0LxNGLS/8QAFwEBAQEBAAAAAAAAAAAA" +
  "AAAAAAECA//EABsRAQEBAQADAQAAAAAAAAAAAAABEQISIjFB/9oADAMBAAIRAxEAPwD42ciJ2cyInqtQ1gB7oHmclxMUWNxRST9Z" +
  "2zE7IgOpBPzgUol98BkUsyEAeO5xME2LyRCR9YFGcl5MPtGKqpLDvG4fD7NgrKQx7huDVGJffANa8nQgfWdTAZ1DKjEHx3BrPnJf" +
  "rwxaSEUkj5zjYYWwIVIY+G4NUYmhZgmtduhA3rvkfu9fz/mDVOclz3ev5/zPQxAylgjFR3kdwg2KMSzdSiVlhvYlaFIicgIiIEsR" +
  "EIT3T+6s8TqLzcLvW4Glj29jbz1vp3T1k3i9lIXjoa75RGNs6BJ+06cXXeSPqIRo35gtpZOBG/Hc5j5Ypq4cCeu97mecQgbJYD6Q" +
  "MQkbBJ+0ou0Xim5n472CNbi+8XXK/HWgBrcojF2dAkn6QcXR0SQfpINHIyxdVw4Edd73O0ZgqpVOBOvHczTiEDZJH2gYZI2CxH0l" +
  "F7GvFDMSvLY13xZeHyVt460Qdb8pRGJvuJP0Ee6aOix35akGhk5QvrChOOjvvlaQHDI7yR9ROe6j1/iBYlmnMenHelVUq++pHnM7" +
  "3Uev8Tnuo9f4ksl+p1zz1MqTI/Zb7f3KUnsxwiFuW9fKQStOREQpERAliJyEJJR+6sjnpAS4CnRgaeLYtVwZt61PeZclzqU30HjM" +
  "/s7vX+Y7O71/mEa2TlVWUMik7OvD5zmLk11U8WJ3vymV2d3r/M52d3r/ADKNHGuSrId23og/3GTcluQjrvQA/uZ3Z3ev8mOzu+J+" +
  "TINbKya7aeKk735TuNlVV0KjE7G/D5zI7O74n5Mdld8T8mUaOHclLsX31HhFtyPlrYN8QRM7srvifkx2V3xPyZBqZmTXdUFTew2+" +
  "olOV+yu+J+THZX/E/JgWJaoya68W2pqgzPvTTM7K/wCJ+THZX/EH8mSyX6z1xOplSZH7Dfb+5Rliyu1UJZ9jy3K8rZERCkRECWci" +
  "IQklH7qyOeq+Qcce+BqYhQXjtOPHXjPWaay69lx1rrxmfyv9Mcr/AEwjXymoOOwQ18umta33zmI1AoHaFOW/GZHK/wBMcr/TKNHF" +
  "NYyHL8eOjrfd3xlGs5CFOPHQ3ru75ncr/THK/wBMDXy2oNB7Mpy34TuK1Ax1Dmvl13vW++Y/K/0xyyPTA0cI1h27XjrXTlFxrOYh" +
  "Xjw2N67pncsj0xyyPTA1c1qTSOzKb5f8ZSlblkemOWR6ZBZlqhsUYtotBN3Xj3+XSZnLI9Mcsj0yWaz1z5TNSZH7Dfb+5RlixrjW" +
  "eY0vjK8rZETkKREQJYiIQnuj95Z4na2KuCBvXhA1cStbLwrjY1PWbUlTqEXQI85ndu3w47dvhwjYysaqvHZkTTDXXZ85zEx6rKAz" +
  "rs78zMjt2+HHvDfDlGji1JZkOrrtQDob+cZVSV5CKi6UgbG/nM73hvhx7w3w4Gvl49VdBZF0d+ZncXGqsx1Z02x312fOY/vDfDj3" +
  "hvhwY0cKpLXYOuwB5xdUi5iVqulJGxuZ3vDfDnPeG+HA182iqqkMi6PLXeZRlb3hvhx7w3w5BZk9VVTY7u9nFx3Dcz/eW+HHvLfD" +
  "ks1046nN2zUmR+w32/uUZPbez1lSmgfGQSsE5EQpERAliIhHJJR+8sjnutglgY9wgaWNULreDEga8J6y6FoZQpJ2PGU1ywh2vMHz" +
  "E6+ZzO3LtrzhGjkYaVUs4ZiRrv8ArOY2Il1XNmYHfhKDZ5ZSrNYQfAwucUGlawDyEotY9C23shJAAPd9YyKFqvVASQQO/wCsprmB" +
  "GLKXBPiIbNDsGYuSPEwNHJxEpq5qzE78Z3Hw0tpVyzAnfd9ZnNnlxpmsI8jOrnlVCq1gA8BAtYlC3swYkaHhFtCplLUCdEjr9ZTT" +
  "NCHaF135Qc0FwxLlh4wNDKxVorDKxJJ11lSRvn8xp2sYfOePek8mkE8tUYZuxbLg4HDfTzmd70nk38R72gGtPoyXfxnqdWetx6yf" +
  "2G+39yhLVuQj1lQG2fOVZW4REQpERAlnIiEJJSAbVB6yOe6WC2gnoIF+jHF1nABR9p6yMUUMAQp2PASKrKWp+SsN/SS222XVC91b" +
  "sh05hDx/mESXYHZVFyUIHhqcowRdXzHAdfKR2e0DYhRnXR+U5V7Q7JOKuuvpKPVOKLbWQBQQO/UXYoqtVCFJI79TxVlGsvah6dzH" +
  "idDf/UkssttQZLI/ZgfucDx7/P6wPV+CKa+Z4Hr5TtOB2tQccAD4akeRmOR2d36T0bRUg6I2PxOV+0ezQIrrofKB3HxRexACjQ8R" +
  "D4oS9aiFJJHXXnO0WW1XmutHNpH+HAk/xI7Mv/f5O2rFPUEa0RAlvwhQgY8Ds66CV+Celf4nu3P7ZQruNA76CRvYqMVclWHQgggi" +
  "Qd4J6V/iT14TW0valalF75X7VCpbZ4ggE6OgT/0ZJVltxNNVjEP/AMVBO5Lv4z15Z6oMhVFLEKAenh85Rly+1GpYK2yZTlbhERCk" +
  "TkQJYiICS413u+QlnHkB0Zd65KehH3BIiIGo3toKKWVXJCnah9Cv9bEAbB660N+UoZWYL1dUrNYe02NtyxPTQBJ8v1fzEQIzfWR/" +
  "4lI+e3/+pdwvbBxaq6zUzqicNc9AjkzHoQe/Y/iIgev9ZHZOnYOQ68etv+HTX6en6ZFT7TWrDSk4yuVTjtiNH9fPqNb18txECO/P" +
  "W7MTLNXG5GQkBiQ3EDr167OpM3tfVHY10sqcXU7s3vkH7+nm+/tEQPGX7TXL9oDJspbQXXDmD4kjvBGvlqeF9ohfaRyxW/XnpTZv" +
  "jy5dxI8N+I69fOIgWn9usbSy0sqFuRTtOn+TMfDx5a+0L7eZXdhSw5EnfMEjZHQEqenTu14xECD/AFewVMioQTWte+fgFUD+m6f+" +
  "0ns9ul72tNL7JB12gGtcunRRsfq7vlEQMWIiAnIiAiIgf//Z";

/** A one-page PDF invoice; the cross-reference offsets are computed, so readers open it cleanly. */
function invoicePdf(): Uint8Array<ArrayBuffer> {
  const content =
    "BT /F1 18 Tf 72 720 Td (Invoice #2291) Tj /F1 12 Tf 0 -28 Td (VPS 4 GB, November: EUR 24.00 - charged twice) Tj ET";
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let pdf = "%PDF-1.4\n";
  const offsets = objects.map((body, i) => {
    const at = pdf.length;
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return text(pdf);
}

function crc32(bytes: Uint8Array): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

/** A ZIP with one stored (uncompressed) file, as a customer's exported site config might be. */
function configZip(): Uint8Array<ArrayBuffer> {
  const name = text("nginx/example.com.conf");
  const data = text("server {\n  listen 443 ssl;\n  server_name example.com;\n  root /var/www/example.com;\n}\n");
  const crc = crc32(data);
  const local = new DataView(new ArrayBuffer(30));
  local.setUint32(0, 0x04034b50, true);
  local.setUint16(4, 10, true);
  local.setUint32(14, crc, true);
  local.setUint32(18, data.length, true);
  local.setUint32(22, data.length, true);
  local.setUint16(26, name.length, true);
  const central = new DataView(new ArrayBuffer(46));
  central.setUint32(0, 0x02014b50, true);
  central.setUint16(4, 20, true);
  central.setUint16(6, 10, true);
  central.setUint32(16, crc, true);
  central.setUint32(20, data.length, true);
  central.setUint32(24, data.length, true);
  central.setUint16(28, name.length, true);
  const centralAt = 30 + name.length + data.length;
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, 1, true);
  end.setUint16(10, 1, true);
  end.setUint32(12, 46 + name.length, true);
  end.setUint32(16, centralAt, true);
  const parts = [
    new Uint8Array(local.buffer),
    name,
    data,
    new Uint8Array(central.buffer),
    name,
    new Uint8Array(end.buffer),
  ];
  const zip = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    zip.set(p, at);
    at += p.length;
  }
  return zip;
}

export const DEMO_FILES = {
  screenshot: { name: "checkout-500-error.png", bytes: fromBase64(SCREENSHOT_PNG) },
  photo: { name: "rack-b4-photo.jpg", bytes: fromBase64(RACK_JPEG) },
  invoice: { name: "invoice-2291.pdf", bytes: invoicePdf() },
  config: { name: "site-config.zip", bytes: configZip() },
  steps: {
    name: "steps-to-reproduce.txt",
    bytes: text(
      '1. Open https://example.com/checkout\n2. Add any product to the cart\n3. Press "Pay": 500 Internal Server Error\n',
    ),
  },
  log: {
    name: "php-error.log",
    bytes: text(
      "[23-Nov-2026 09:11:02 UTC] PHP Fatal error:  Uncaught Error: Call to undefined function wp_cache_get_legacy() in /var/www/example.com/wp-content/plugins/fastcache/cache.php:212\n" +
        "[23-Nov-2026 09:11:02 UTC] PHP Stack trace:\n[23-Nov-2026 09:11:02 UTC] PHP   1. {main}() /var/www/example.com/index.php:0\n",
    ),
  },
} satisfies Record<string, DemoFile>;
