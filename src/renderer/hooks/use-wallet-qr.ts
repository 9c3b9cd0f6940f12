import { useEffect, useState } from 'react';
import QRCode from 'qrcode';

/**
 * A QR code of the address as a `data:` URL of an SVG, for an <img>: the CSP allows data: images but
 * no inline styles, so the SVG is never put into the page itself. Null until it is drawn (or if it fails).
 */
export function useAddressQr(address: string): string | null {
  const [drawn, setDrawn] = useState<{ address: string; src: string } | null>(null);

  useEffect(() => {
    let current = true;
    QRCode.toString(address, {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 2,
      color: { dark: '#0b0f17ff', light: '#ffffffff' },
    }).then(
      (svg) => {
        if (current)
          setDrawn({ address, src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}` });
      },
      () => {
        if (current) setDrawn(null);
      },
    );
    return () => {
      current = false;
    };
  }, [address]);

  return drawn?.address === address ? drawn.src : null;
}
