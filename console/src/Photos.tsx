// An order's photos as thumbnails. Placeholder until the console can read temporary file addresses.
export function Photos({ title, fileIds }: { title: string; fileIds: string[] }) {
  if (fileIds.length === 0) return null;
  return (
    <div className="order-photos">
      <h4 className="order-section">{title}</h4>
      <p>{`共 ${fileIds.length} 张照片`}</p>
    </div>
  );
}
