//! A tiny HTTP/1.1 server on 127.0.0.1 for transport tests.
//!
//! It serves whatever raw bytes a handler writes, so tests can produce what a real server
//! library would refuse to: truncated bodies, resets, endless chunked streams, stalls. It
//! counts accepted connections (keep-alive proof) and records every request it parsed.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// One request as received: the head verbatim (request line and headers) and the body.
#[derive(Debug, Clone)]
pub struct Received {
    /// The request line and the header lines, CRLFs and the blank line included.
    pub head: String,
    /// The body, `Content-Length` bytes of it.
    pub body: Vec<u8>,
}

impl Received {
    /// `GET /path?q HTTP/1.1`
    pub fn request_line(&self) -> &str {
        self.head.lines().next().unwrap_or("")
    }

    /// The value of the first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }
}

/// What the server does with the connection after a handler ran.
pub enum Next {
    /// Wait for another request on the same connection.
    KeepAlive,
    /// Close the connection normally (FIN).
    Close,
}

type Handler = dyn Fn(&Received, &mut dyn Write) -> io::Result<Next> + Send + Sync;

/// A running test server; its threads end with the test process.
pub struct TestServer {
    addr: SocketAddr,
    scheme: &'static str,
    accepted: Arc<AtomicUsize>,
    received: Arc<Mutex<Vec<Received>>>,
}

impl TestServer {
    /// Serves plain HTTP; `handler` answers each parsed request by writing raw bytes.
    pub fn start(
        handler: impl Fn(&Received, &mut dyn Write) -> io::Result<Next> + Send + Sync + 'static,
    ) -> Self {
        Self::start_with(
            "http",
            |tcp| Ok(Box::new(tcp) as Box<dyn ReadWrite>),
            handler,
        )
    }

    /// Serves plain HTTP, answering every request with the same complete response (see
    /// [`response`]) and keeping the connection open.
    pub fn answering(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Self {
        let bytes = response(status, headers, body);
        Self::start(move |_, out| {
            out.write_all(&bytes)?;
            Ok(Next::KeepAlive)
        })
    }

    /// Serves with `wrap` turning each accepted TCP stream into the stream to speak HTTP on
    /// (the TLS server plugs in here).
    pub fn start_with(
        scheme: &'static str,
        wrap: impl Fn(TcpStream) -> io::Result<Box<dyn ReadWrite>> + Send + Sync + 'static,
        handler: impl Fn(&Received, &mut dyn Write) -> io::Result<Next> + Send + Sync + 'static,
    ) -> Self {
        let received = Arc::new(Mutex::new(Vec::new()));
        let (addr, accepted) = {
            let received = received.clone();
            accept_each(move |stream| {
                if let Ok(stream) = wrap(stream) {
                    let _ = serve_connection(stream, &handler, &received);
                }
            })
        };
        TestServer {
            addr,
            scheme,
            accepted,
            received,
        }
    }

    /// Hands each accepted TCP stream to `handler` untouched (for resets and stalls).
    pub fn start_raw(handler: impl Fn(TcpStream) + Send + Sync + 'static) -> Self {
        let (addr, accepted) = accept_each(handler);
        TestServer {
            addr,
            scheme: "http",
            accepted,
            received: Arc::new(Mutex::new(Vec::new())),
        }
    }

    /// `http://127.0.0.1:<port><path_and_query>` (or https for a TLS server).
    pub fn url(&self, path_and_query: &str) -> String {
        format!("{}://{}{}", self.scheme, self.addr, path_and_query)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// How many TCP connections the server accepted so far.
    pub fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    /// Every request parsed so far, in arrival order.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("lock").clone()
    }
}

/// The largest request body the server reads (a larger one closes the connection): no test
/// sends more, and a client's bad `Content-Length` must not make the server allocate it.
pub const MAX_BODY: usize = 1 << 20;

/// Listens on 127.0.0.1 (a free port) and hands each accepted connection to `serve` on a
/// thread of its own; returns the address and the count of accepted connections.
fn accept_each(
    serve: impl Fn(TcpStream) + Send + Sync + 'static,
) -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local addr");
    let accepted = Arc::new(AtomicUsize::new(0));
    let serve = Arc::new(serve);
    let count = accepted.clone();
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            count.fetch_add(1, Ordering::SeqCst);
            let serve = serve.clone();
            thread::spawn(move || serve(stream));
        }
    });
    (addr, accepted)
}

/// A stream the server can speak HTTP on.
pub trait ReadWrite: Read + Write + Send {}
impl<T: Read + Write + Send> ReadWrite for T {}

fn serve_connection(
    stream: Box<dyn ReadWrite>,
    handler: &Handler,
    received: &Mutex<Vec<Received>>,
) -> io::Result<()> {
    let mut reader = BufReader::new(stream);
    loop {
        let mut head = String::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 {
                return Ok(()); // the client closed the connection
            }
            head.push_str(&line);
            if line == "\r\n" {
                break;
            }
        }
        let request = Received {
            body: Vec::new(),
            head,
        };
        let length = request
            .header("content-length")
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(0);
        if length > MAX_BODY {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("a request body of {length} bytes, over the test server's {MAX_BODY}"),
            ));
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        let request = Received { body, ..request };
        received.lock().expect("lock").push(request.clone());
        let stream = reader.get_mut();
        let next = handler(&request, stream)?;
        stream.flush()?;
        if let Next::Close = next {
            return Ok(());
        }
    }
}

/// A complete response with a Content-Length body and the given extra header lines.
pub fn response(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\ncontent-length: {}\r\n", body.len());
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

/// Writes one chunk of chunked transfer encoding.
pub fn write_chunk(out: &mut dyn Write, data: &[u8]) -> io::Result<()> {
    write!(out, "{:x}\r\n", data.len())?;
    out.write_all(data)?;
    out.write_all(b"\r\n")?;
    out.flush()
}

/// A port on 127.0.0.1 where nothing listens (bound, then released).
pub fn closed_port() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    addr
}

/// A listener that never accepts, with its accept queue filled: the kernel then drops new
/// SYNs, so a connect to it hangs until the client's connect timeout. Keep the returned
/// value alive for as long as the address must stay unresponsive.
pub struct Blackhole {
    /// Where a connect hangs.
    pub addr: SocketAddr,
    _listener: TcpListener,
    _fillers: Vec<TcpStream>,
}

/// Starts a [`Blackhole`].
pub fn blackhole() -> Blackhole {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let mut fillers = Vec::new();
    // std's backlog is 128; the queue holds backlog + 1. Stop at the first connect that
    // hangs, which proves the queue is full.
    for _ in 0..1024 {
        match TcpStream::connect_timeout(&addr, Duration::from_millis(500)) {
            Ok(stream) => fillers.push(stream),
            Err(_) => break,
        }
    }
    Blackhole {
        addr,
        _listener: listener,
        _fillers: fillers,
    }
}
