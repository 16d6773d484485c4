//! Name resolution without a thread per call when there is no name to resolve.
//!
//! ureq resolves the host on every call, before it looks in its connection pool, so a
//! keep-alive call resolves too. Its `DefaultResolver` runs the lookup on a freshly spawned
//! thread whenever any timeout covers the resolve phase (the resolve timeout, and also the
//! global one), so that it can stop waiting for a hung DNS server. Our client always sets
//! both, so every call paid a `clone3` + 2 MiB stack mapping + thread wake-up: 0.3–1.5 ms on
//! a busy 2-core machine against a 25 µs keep-alive round trip.
//!
//! For an IP-address host (an emulator on 127.0.0.1, a vendor reached by address) there is
//! nothing to look up: std parses the literal without calling `getaddrinfo`, so no timeout is
//! needed and [`LiteralFirstResolver`] answers in place. Host names still go to ureq's own
//! resolver, unchanged, timeout and thread included.
//!
//! This is ureq's `unversioned` resolver API (outside its semver promise). It touches only
//! the `Resolver` trait, `DefaultResolver` and `Agent::with_parts`; should a ureq 3.x release
//! change them, this file is what to adapt.

use std::fmt;
use std::net::{IpAddr, SocketAddr};

use http::Uri;
use http::uri::Scheme;
use ureq::config::{Config, IpFamily};
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// Answers IP-literal hosts in place; delegates host names to ureq's [`DefaultResolver`].
#[derive(Default)]
pub(crate) struct LiteralFirstResolver {
    names: DefaultResolver,
}

impl Resolver for LiteralFirstResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        match literal_address(uri).filter(|addr| is_wanted(config.ip_family(), addr)) {
            Some(addr) => {
                let mut addrs = self.empty();
                addrs.push(addr);
                Ok(addrs)
            }
            // Names, unusual URIs and unwanted address families: ureq decides exactly as
            // before (including its `BadUri` and `HostNotFound` errors).
            None => self.names.resolve(uri, config, timeout),
        }
    }
}

/// The socket address of an `http`/`https` URI whose host is an IP literal (`127.0.0.1`,
/// `[::1]`), with the scheme's default port when none is given; `None` for anything else.
fn literal_address(uri: &Uri) -> Option<SocketAddr> {
    let scheme = uri.scheme()?;
    let authority = uri.authority()?;
    let default_port = if *scheme == Scheme::HTTP {
        80
    } else if *scheme == Scheme::HTTPS {
        443
    } else {
        return None;
    };
    let host = authority.host();
    let host = host
        .strip_prefix('[')
        .and_then(|inner| inner.strip_suffix(']'))
        .unwrap_or(host);
    let ip: IpAddr = host.parse().ok()?;
    Some(SocketAddr::new(
        ip,
        authority.port_u16().unwrap_or(default_port),
    ))
}

/// The same filter ureq applies to resolved addresses.
fn is_wanted(family: IpFamily, addr: &SocketAddr) -> bool {
    family.keep_wanted(std::iter::once(*addr)).next().is_some()
}

impl fmt::Debug for LiteralFirstResolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LiteralFirstResolver")
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(uri: &str) -> Option<SocketAddr> {
        literal_address(&uri.parse().unwrap())
    }

    #[test]
    fn ip_literals_resolve_in_place_with_default_ports() {
        assert_eq!(
            addr("http://127.0.0.1:8080/p?q=1"),
            Some("127.0.0.1:8080".parse().unwrap())
        );
        assert_eq!(
            addr("http://10.0.0.1/"),
            Some("10.0.0.1:80".parse().unwrap())
        );
        assert_eq!(
            addr("https://10.0.0.1/"),
            Some("10.0.0.1:443".parse().unwrap())
        );
        assert_eq!(addr("http://[::1]:9/"), Some("[::1]:9".parse().unwrap()));
        assert_eq!(addr("https://[::1]/"), Some("[::1]:443".parse().unwrap()));
    }

    #[test]
    fn names_and_other_schemes_go_to_ureq() {
        assert_eq!(addr("http://localhost:8080/"), None);
        assert_eq!(addr("https://vendor.example/"), None);
        assert_eq!(addr("socks5://127.0.0.1:1080"), None);
        assert_eq!(addr("/relative"), None);
        // Not an address however it looks: a name for the system resolver.
        assert_eq!(addr("http://127.1/"), None);
    }

    #[test]
    fn address_family_filter_matches_ureq() {
        let v4: SocketAddr = "127.0.0.1:80".parse().unwrap();
        let v6: SocketAddr = "[::1]:80".parse().unwrap();
        assert!(is_wanted(IpFamily::Any, &v4) && is_wanted(IpFamily::Any, &v6));
        assert!(is_wanted(IpFamily::Ipv4Only, &v4) && !is_wanted(IpFamily::Ipv4Only, &v6));
        assert!(!is_wanted(IpFamily::Ipv6Only, &v4) && is_wanted(IpFamily::Ipv6Only, &v6));
    }
}
