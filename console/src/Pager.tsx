// 上一页 / 第 n 页 / 下一页 under a list: the functions answer `hasMore`, not a total. Hidden while
// the list fits one page.
import { Button } from 'tdesign-react/es/button';
import { Space } from 'tdesign-react/es/space';

export function Pager(props: { page: number; hasMore: boolean; loading: boolean; load: (page: number) => void; name: string }) {
  const { page, hasMore, loading, load, name } = props;
  if (page === 1 && !hasMore) return null;
  return (
    <Space className={`pager pager-${name}`} align="center">
      <Button
        size="small"
        variant="outline"
        className="pager-prev"
        disabled={page === 1 || loading}
        onClick={() => load(page - 1)}
      >
        上一页
      </Button>
      <span className="pager-page">第 {page} 页</span>
      <Button size="small" variant="outline" className="pager-next" disabled={!hasMore || loading} onClick={() => load(page + 1)}>
        下一页
      </Button>
    </Space>
  );
}
