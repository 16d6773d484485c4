//! A private CA, a server certificate for 127.0.0.1 signed by it, and a rustls server (ring,
//! the tree's one crypto provider) that speaks HTTP through [`TestServer`].

use std::io::{self, Write};
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::server::{Next, ReadWrite, Received, TestServer};

/// A freshly generated private CA and the server configuration it vouches for.
pub struct Pki {
    /// The CA certificate, PEM: what a client must trust.
    pub ca_pem: String,
    server_config: Arc<rustls::ServerConfig>,
}

/// A new CA (its own key) and a certificate for `127.0.0.1` and `localhost` it signed.
pub fn private_ca() -> Pki {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("ca params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "shiming test CA");
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().expect("ca key"))
        .expect("self-signed CA");

    let leaf_key = KeyPair::generate().expect("leaf key");
    let mut leaf_params =
        CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
            .expect("leaf params");
    leaf_params
        .distinguished_name
        .push(DnType::CommonName, "127.0.0.1");
    leaf_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let leaf = leaf_params
        .signed_by(&leaf_key, &ca)
        .expect("leaf signed by CA");

    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
    let mut server_config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(vec![leaf.der().clone(), ca.der().clone()], key)
        .expect("server certificate");
    server_config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Pki {
        ca_pem: ca.pem(),
        server_config: Arc::new(server_config),
    }
}

/// An HTTPS server presenting the certificate of `pki`.
pub fn start_tls(
    pki: &Pki,
    handler: impl Fn(&Received, &mut dyn Write) -> io::Result<Next> + Send + Sync + 'static,
) -> TestServer {
    let config = pki.server_config.clone();
    TestServer::start_with(
        "https",
        move |tcp| {
            let connection =
                rustls::ServerConnection::new(config.clone()).map_err(io::Error::other)?;
            Ok(Box::new(rustls::StreamOwned::new(connection, tcp)) as Box<dyn ReadWrite>)
        },
        handler,
    )
}
