//! The HMAC-SHA256 key state of a secret: computed once, all that signing needs, zeroed on drop.

use std::mem::ManuallyDrop;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The HMAC-SHA256 key state, computed once from the secret. The secret itself is not kept:
/// this state is all signing needs, and it is zeroed when dropped.
pub(crate) struct HmacKey {
    state: ManuallyDrop<HmacSha256>,
}

impl HmacKey {
    pub(crate) fn new(secret: &[u8]) -> Self {
        let state = HmacSha256::new_from_slice(secret).expect("HMAC accepts keys of any length");
        HmacKey {
            state: ManuallyDrop::new(state),
        }
    }

    /// The raw HMAC-SHA256 of `data`.
    pub(crate) fn sign(&self, data: &[u8]) -> [u8; 32] {
        let mut mac = (*self.state).clone();
        mac.update(data);
        mac.finalize().into_bytes().into()
    }

    /// The base64 HMAC-SHA256 of `data`, as both schemes put it on the wire.
    pub(crate) fn sign_base64(&self, data: &[u8]) -> String {
        BASE64.encode(self.sign(data))
    }
}

impl Drop for HmacKey {
    fn drop(&mut self) {
        let bytes = (&mut *self.state as *mut HmacSha256).cast::<u8>();
        for i in 0..std::mem::size_of::<HmacSha256>() {
            // SAFETY: `Hmac<Sha256>` is plain fixed-size data (digest states, a block buffer
            // and counters; no heap, no pointers), so overwriting its bytes frees nothing.
            // It sits in a `ManuallyDrop` and is never read or dropped after this.
            unsafe { std::ptr::write_volatile(bytes.add(i), 0) };
        }
        std::sync::atomic::compiler_fence(std::sync::atomic::Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_key_matches_rfc4231_case_2() {
        let key = HmacKey::new(b"Jefe");
        let mac = key.sign(b"what do ya want for nothing?");
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
