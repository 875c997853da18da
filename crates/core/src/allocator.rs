//! Settings of the memory allocator (mimalloc) for a program that holds one large book.
//!
//! mimalloc keeps freed memory for a while (a second, in the version in use) before giving it
//! back to the system, to serve the next allocations faster. sverka frees large buffers
//! between the steps of opening, matching and saving a 65,000-row book (the file's bytes, the
//! matching index, the new file), and keeping them would add those buffers to the memory the
//! app holds at its peak. Giving memory back at once costs no measurable time here (see the
//! README's benchmark) and takes about 100 MB off the peak of a 65,000-row book.

/// `mi_option_purge_delay`: its index in `mi_option_t`, the same in mimalloc 2.x and 3.x
/// (after `mi_option_deprecated_eager_commit_delay`, 14; the Rust bindings name the options
/// around it, 9 and 16, with these numbers too).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// The oldest mimalloc version whose option 15 is the purge delay (2.0.0).
const FIRST_VERSION: i32 = 200;

/// Makes mimalloc give freed memory back to the system at once. Called once, at the start of
/// `main`, before any other thread exists.
pub fn return_freed_memory_at_once() {
    // SAFETY: `mi_version` only reads a constant. `mi_option_set` is not thread-safe; it is
    // called before any other thread starts (the contract of this function), and option 15 is
    // the purge delay in every mimalloc version from 2.0 on (checked just before).
    unsafe {
        if libmimalloc_sys::mi_version() >= FIRST_VERSION {
            libmimalloc_sys::mi_option_set(PURGE_DELAY, 0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_15_is_the_purge_delay_and_becomes_zero() {
        // SAFETY: reads of mimalloc's option table; no test sets options concurrently.
        let (version, before) = unsafe {
            (
                libmimalloc_sys::mi_version(),
                libmimalloc_sys::mi_option_get(PURGE_DELAY),
            )
        };
        assert!(version >= FIRST_VERSION, "mimalloc {version}");
        // The purge delay's documented defaults: 10 ms (2.x), 1000 ms (3.x).
        assert!(matches!(before, 10 | 1000), "option 15 is {before}");
        return_freed_memory_at_once();
        // SAFETY: as above.
        let after = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        assert_eq!(after, 0);
    }
}
