// An order's photos as thumbnails (a click opens the picture in a new tab). The file ids are
// `cloud://` names; the browser gets temporary addresses through the web SDK's storage
// (getTempFileURL), which CloudBase answers by the bucket's rules (docs/console.md, "Photos").
import { useEffect, useState } from 'react';
import { tempUrls } from './cloud';

export function Photos({ title, fileIds }: { title: string; fileIds: string[] }) {
  const [urls, setUrls] = useState<Record<string, string> | null>(null);
  const key = fileIds.join('\n');

  useEffect(() => {
    setUrls(null);
    if (!key) return;
    let live = true;
    tempUrls(key.split('\n')).then(
      (found) => live && setUrls(found),
      () => live && setUrls({}),
    );
    return () => {
      live = false;
    };
  }, [key]);

  if (fileIds.length === 0) return null;
  return (
    <div className="order-photos">
      <h4 className="order-section">{`${title}（${fileIds.length} 张）`}</h4>
      {urls === null && <p className="photos-wait">正在读取照片…</p>}
      {urls &&
        fileIds.map((id, i) =>
          urls[id] ? (
            <a key={id} href={urls[id]} target="_blank" rel="noreferrer">
              <img className="photo-thumb" src={urls[id]} alt={`${title} ${i + 1}`} />
            </a>
          ) : (
            <span key={id} className="photo-missing">
              照片无法读取
            </span>
          ),
        )}
    </div>
  );
}
