package history

import "context"

// EraseNIK deletes every row of one person (a data subject's erasure
// request) and returns how many. Images go with their rows. The WAL is then
// checkpointed so the erased values leave the disk. Rows sealed under a key
// generation that is not available cannot be matched (their blind index is
// under the lost key); KeyStatus reports how many such rows exist.
func (s *Store) EraseNIK(ctx context.Context, nik string) (int, error) {
	cond, args, err := s.nikCondition(nik)
	if err != nil {
		return 0, err
	}
	res, err := s.db.ExecContext(ctx, `DELETE FROM calls WHERE `+cond, args...)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	if n > 0 {
		if err := s.checkpoint(ctx); err != nil {
			return int(n), err
		}
	}
	return int(n), nil
}
