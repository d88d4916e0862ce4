//! With the `drd` feature, tells valgrind's drd thread checker when the client's settings lock
//! is taken and released. drd sees pthread locks, not the futex-based locks of Rust's std:
//! without this it reports every read of the settings that a setter replaced as a data race
//! (`tests/c/run_stress.sh drd`). Without the feature these do nothing; with it, outside
//! valgrind, each is a few no-op instructions.

/// What the lock is to drd: its address.
pub(super) type Lock = *const ();

#[cfg(all(feature = "drd", target_arch = "x86_64"))]
mod requests {
    // drd.h: VG_USERREQ__DRD_ANNOTATE_RWLOCK_{DESTROY,ACQUIRED,RELEASED}
    // (VG_USERREQ_TOOL_BASE('H','G') + 256 + 15, 17, 18).
    pub(super) const DESTROY: usize = 0x4847_010f;
    pub(super) const ACQUIRED: usize = 0x4847_0111;
    pub(super) const RELEASED: usize = 0x4847_0112;

    /// valgrind.h's VALGRIND_DO_CLIENT_REQUEST for amd64: a sequence that does nothing on a
    /// real CPU (four rotations of rdi by 128 bits in all, then `xchg rbx, rbx`) and that
    /// valgrind recognizes as a request, read from the six words at rax.
    pub(super) fn send(request: usize, lock: super::Lock, write: bool) {
        let words: [usize; 6] = [request, lock as usize, usize::from(write), 0, 0, 0];
        // SAFETY: the instructions leave every register as it was but rdx (declared); valgrind
        // reads `words` (alive until the asm ends) and writes nothing the program owns.
        unsafe {
            std::arch::asm!(
                "rol rdi, 3", "rol rdi, 13", "rol rdi, 61", "rol rdi, 51",
                "xchg rbx, rbx",
                in("rax") words.as_ptr(),
                inout("rdx") 0usize => _,
                options(nostack),
            );
        }
    }
}

/// The lock is taken (`write`: for writing), as drd should see it.
#[inline(always)]
pub(super) fn acquired(lock: Lock, write: bool) {
    #[cfg(all(feature = "drd", target_arch = "x86_64"))]
    requests::send(requests::ACQUIRED, lock, write);
    let _ = (lock, write);
}

/// The lock is about to be released.
#[inline(always)]
pub(super) fn released(lock: Lock, write: bool) {
    #[cfg(all(feature = "drd", target_arch = "x86_64"))]
    requests::send(requests::RELEASED, lock, write);
    let _ = (lock, write);
}

/// The lock's memory is about to be freed.
#[inline(always)]
pub(super) fn destroyed(lock: Lock) {
    #[cfg(all(feature = "drd", target_arch = "x86_64"))]
    requests::send(requests::DESTROY, lock, false);
    let _ = lock;
}
