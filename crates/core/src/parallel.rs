//! Work split over the cores in order-preserving chunks (people of a book, appeals).

/// Runs `work` on `items` split into one chunk per core (at most 8), each on a scoped thread,
/// and returns the chunks' results in order. `work` gets the index of its chunk's first item.
/// A chunk whose thread panicked gives `failed(first index, chunk length)` in its place.
pub fn in_chunks<T: Sync, R: Send>(
    items: &[T],
    work: impl Fn(usize, &[T]) -> R + Sync,
    failed: impl Fn(usize, usize) -> R,
) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let chunk = items.len().div_ceil(threads).max(1);
    let work = &work;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .enumerate()
            .map(|(n, part)| {
                let first = n * chunk;
                (first, part.len(), scope.spawn(move || work(first, part)))
            })
            .collect();
        handles
            .into_iter()
            .map(|(first, len, h)| h.join().unwrap_or_else(|_| failed(first, len)))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::in_chunks;

    #[test]
    fn chunks_come_back_in_order_with_their_first_index() {
        let items: Vec<u32> = (0..1001).collect();
        let parts = in_chunks(
            &items,
            |first, part| (first, part.to_vec()),
            |_, _| (0, Vec::new()),
        );
        let mut next = 0;
        for (first, part) in &parts {
            assert_eq!(*first, next);
            next += part.len();
        }
        let flat: Vec<u32> = parts.into_iter().flat_map(|(_, p)| p).collect();
        assert_eq!(flat, items);
        assert!(in_chunks(&[] as &[u32], |_, p| p.len(), |_, n| n).is_empty());
    }

    #[test]
    fn a_panicking_chunk_keeps_its_place() {
        let items: Vec<u32> = (0..64).collect();
        let parts = in_chunks(
            &items,
            |first, part| {
                assert!(first != 0, "first chunk fails");
                (first, part.len())
            },
            |first, len| (first, len + 1000),
        );
        let others: usize = parts.iter().skip(1).map(|p| p.1).sum();
        assert_eq!(
            parts.first().copied(),
            Some((0, 1000 + items.len() - others))
        );
    }
}
