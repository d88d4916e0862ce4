//! The end-to-end floor (`make bench`): the same POSTs the library's connect and disconnect
//! send, unsigned, over one plain ureq 3 agent shared by THREADS threads, to a keep-alive
//! server. Prints `cpu_us_per_request requests_per_second` (client thread CPU from
//! getrusage(RUSAGE_THREAD), wall time for the rate).
//!
//!     cargo run --release --example bare_ureq -- URL THREADS REQUESTS_PER_THREAD

use std::time::Instant;

const CONNECT: &str = r#"{"query":"mutation Connect($serviceId: String!) { connect(serviceId: $serviceId) { id host port reverseProxy url created timeout } }","variables":{"serviceId":"80:00:00:00:01:00:00:11"}}"#;
const DISCONNECT: &str = r#"{"query":"mutation Disconnect($connectionId: String!) { disconnect(connectionId: $connectionId) }","variables":{"connectionId":"00000000-0000-0000-0000-000000000000"}}"#;

fn thread_cpu_us() -> f64 {
    // SAFETY: an all-zero rusage is a valid value for getrusage to overwrite.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is valid and writable for the call.
    unsafe { libc::getrusage(libc::RUSAGE_THREAD, &mut usage) };
    let us = |t: libc::timeval| t.tv_sec as f64 * 1e6 + t.tv_usec as f64;
    us(usage.ru_utime) + us(usage.ru_stime)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, threads, requests] = args.as_slice() else {
        eprintln!("usage: bare_ureq URL THREADS REQUESTS_PER_THREAD");
        std::process::exit(2);
    };
    let threads: usize = threads.parse().expect("THREADS is a number");
    let requests: usize = requests.parse().expect("REQUESTS_PER_THREAD is a number");
    let agent = ureq::Agent::new_with_defaults();
    let post = |body: &str| {
        agent
            .post(url)
            .header("Content-Type", "application/json")
            .send(body)
            .expect("the server answers")
            .body_mut()
            .read_to_string()
            .expect("a text body")
    };
    post(CONNECT);
    let started = Instant::now();
    let cpu: f64 = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let before = thread_cpu_us();
                    for i in 0..requests {
                        std::hint::black_box(post(if i % 2 == 0 { CONNECT } else { DISCONNECT }));
                    }
                    thread_cpu_us() - before
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("no panic"))
            .sum()
    });
    let total = (threads * requests) as f64;
    println!(
        "{:.1} {:.0}",
        cpu / total,
        total / started.elapsed().as_secs_f64()
    );
}
