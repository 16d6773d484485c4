//! The TCP listener, and a connection wrapper that can be told to die with a TCP reset — the
//! one fault an HTTP framework cannot express, since it always finishes or closes politely.

use axum::extract::connect_info::Connected;
use axum::serve::{IncomingStream, Listener};
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// Flips a connection into "reset" mode.
#[derive(Debug, Clone, Default)]
pub(crate) struct ResetSwitch(Arc<AtomicBool>);

impl ResetSwitch {
    pub(crate) fn trigger(&self) {
        self.0.store(true, Ordering::Release);
    }

    fn triggered(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

/// A TCP stream whose every operation fails once its switch is triggered, after arming
/// `SO_LINGER 0` so that the close hyper then performs sends RST instead of FIN.
#[derive(Debug)]
pub(crate) struct ResettableStream {
    stream: TcpStream,
    switch: ResetSwitch,
}

impl ResettableStream {
    fn check(&self) -> io::Result<()> {
        if !self.switch.triggered() {
            return Ok(());
        }
        // Zero linger makes the close abortive; failing here only downgrades RST to FIN.
        let _ = self.stream.set_zero_linger();
        Err(io::Error::new(
            io::ErrorKind::ConnectionReset,
            "connection reset by x-emulator-fault",
        ))
    }
}

impl AsyncRead for ResettableStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if let Err(error) = this.check() {
            return Poll::Ready(Err(error));
        }
        Pin::new(&mut this.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for ResettableStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if let Err(error) = this.check() {
            return Poll::Ready(Err(error));
        }
        Pin::new(&mut this.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if let Err(error) = this.check() {
            return Poll::Ready(Err(error));
        }
        Pin::new(&mut this.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if let Err(error) = this.check() {
            return Poll::Ready(Err(error));
        }
        Pin::new(&mut this.stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        // No FIN before the RST: a half-close would let the client see a clean end of stream.
        if let Err(error) = this.check() {
            return Poll::Ready(Err(error));
        }
        Pin::new(&mut this.stream).poll_shutdown(cx)
    }
}

/// Accepts connections, wraps them resettable, and turns off Nagle's algorithm (small answers
/// must not wait for an ACK).
#[derive(Debug)]
pub(crate) struct EmulatorListener {
    inner: TcpListener,
}

impl EmulatorListener {
    pub(crate) fn new(inner: TcpListener) -> Self {
        Self { inner }
    }
}

impl Listener for EmulatorListener {
    type Io = ResettableStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.inner.accept().await {
                Ok((stream, peer)) => {
                    let _ = stream.set_nodelay(true);
                    let stream = ResettableStream {
                        stream,
                        switch: ResetSwitch::default(),
                    };
                    return (stream, peer);
                }
                // The peer gave up before we accepted: nothing to do but take the next one.
                Err(error)
                    if matches!(
                        error.kind(),
                        io::ErrorKind::ConnectionAborted
                            | io::ErrorKind::ConnectionReset
                            | io::ErrorKind::ConnectionRefused
                    ) => {}
                // Out of file descriptors and the like: back off instead of spinning.
                Err(error) => {
                    tracing::warn!(%error, "accept failed; retrying in 100 ms");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

/// What handlers know about the connection a request came on.
#[derive(Debug, Clone)]
pub(crate) struct ConnInfo {
    pub(crate) peer: SocketAddr,
    pub(crate) reset: ResetSwitch,
}

impl Connected<IncomingStream<'_, EmulatorListener>> for ConnInfo {
    fn connect_info(stream: IncomingStream<'_, EmulatorListener>) -> Self {
        ConnInfo {
            peer: *stream.remote_addr(),
            reset: stream.io().switch.clone(),
        }
    }
}
