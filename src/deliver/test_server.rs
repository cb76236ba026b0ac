//! An SMTP server for tests, on 127.0.0.1 and an ephemeral port: the protocol is the
//! `mailin` crate's state machine (the one mailin-embedded is built on), the I/O and TLS
//! (rustls with ring, so no aws-lc and no OpenSSL) are ours, and so is fault injection:
//! refusing recipients, answering 4xx once, dropping the connection after N messages.

use mailin::{Action, AuthMechanism, Handler, Response, SessionBuilder};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How the server behaves.
#[derive(Clone, Default)]
pub(crate) struct Behaviour {
    /// Offer STARTTLS with this certificate (or, with `implicit_tls`, speak TLS from the start).
    pub tls: Option<Arc<rustls::ServerConfig>>,
    pub implicit_tls: bool,
    /// Require this user and password (AUTH PLAIN and LOGIN, after TLS).
    pub auth: Option<(String, String)>,
    /// Answer `550 5.1.1 mailbox unavailable` to RCPT for these addresses.
    pub refuse_rcpt: Vec<String>,
    /// Answer `451 4.7.1 try again later` to the first RCPT for these addresses.
    pub transient_rcpt_once: Vec<String>,
    /// After this many accepted messages (in total), close the connection and every later one.
    pub drop_after: Option<usize>,
}

#[derive(Clone, Debug)]
pub(crate) struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: Vec<u8>,
}

#[derive(Default)]
pub(crate) struct State {
    pub connections: usize,
    pub rcpt_attempts: HashMap<String, usize>,
    pub logins: Vec<(String, String)>,
    pub messages: Vec<Received>,
    pub tls_sessions: usize,
}

pub(crate) struct TestServer {
    pub port: u16,
    pub state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
}

impl TestServer {
    pub fn start(behaviour: Behaviour) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(Mutex::new(State::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let (st, sp) = (state.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if sp.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (b, st) = (behaviour.clone(), st.clone());
                std::thread::spawn(move || serve(stream, b, st));
            }
        });
        TestServer { port, state, stop }
    }

    pub fn messages(&self) -> Vec<Received> {
        self.state.lock().unwrap().messages.clone()
    }

    pub fn connections(&self) -> usize {
        self.state.lock().unwrap().connections
    }

    pub fn rcpt_attempts(&self, address: &str) -> usize {
        self.state.lock().unwrap().rcpt_attempts.get(address).copied().unwrap_or(0)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so the thread ends.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

#[derive(Clone)]
struct TestHandler {
    behaviour: Behaviour,
    state: Arc<Mutex<State>>,
    from: String,
    to: Vec<String>,
    data: Vec<u8>,
}

impl Handler for TestHandler {
    fn mail(&mut self, _ip: IpAddr, _domain: &str, from: &str) -> Response {
        self.from = from.to_string();
        self.to.clear();
        self.data.clear();
        mailin::response::OK
    }

    fn rcpt(&mut self, to: &str) -> Response {
        let to = to.trim_matches(|c| c == '<' || c == '>').to_string();
        let n = {
            let mut state = self.state.lock().unwrap();
            let n = state.rcpt_attempts.entry(to.clone()).or_insert(0);
            *n += 1;
            *n
        };
        if self.behaviour.refuse_rcpt.contains(&to) {
            return Response::custom(550, "5.1.1 mailbox unavailable".to_string());
        }
        if n == 1 && self.behaviour.transient_rcpt_once.contains(&to) {
            return Response::custom(451, "4.7.1 try again later".to_string());
        }
        self.to.push(to);
        mailin::response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let received = Received { from: self.from.clone(), to: self.to.clone(), data: std::mem::take(&mut self.data) };
        self.state.lock().unwrap().messages.push(received);
        mailin::response::OK
    }

    fn auth_plain(&mut self, _authz: &str, user: &str, password: &str) -> Response {
        self.login(user, password)
    }

    fn auth_login(&mut self, user: &str, password: &str) -> Response {
        self.login(user, password)
    }
}

impl TestHandler {
    fn login(&mut self, user: &str, password: &str) -> Response {
        self.state.lock().unwrap().logins.push((user.to_string(), password.to_string()));
        match &self.behaviour.auth {
            Some((u, p)) if u == user && p == password => mailin::response::AUTH_OK,
            _ => mailin::response::INVALID_CREDENTIALS,
        }
    }
}

enum End {
    Closed,
    UpgradeTls,
    Drop,
}

fn dropped(behaviour: &Behaviour, state: &Mutex<State>) -> bool {
    behaviour.drop_after.is_some_and(|n| state.lock().unwrap().messages.len() >= n)
}

fn session_loop<S: Read + Write, H: Handler>(
    session: &mut mailin::Session<H>,
    stream: &mut BufReader<S>,
    behaviour: &Behaviour,
    state: &Mutex<State>,
) -> std::io::Result<End> {
    let mut line = Vec::new();
    loop {
        line.clear();
        if stream.read_until(b'\n', &mut line)? == 0 {
            return Ok(End::Closed);
        }
        let res = session.process(&line);
        let mut out = Vec::new();
        res.write_to(&mut out)?;
        stream.get_mut().write_all(&out)?;
        stream.get_mut().flush()?;
        match res.action {
            Action::Close => return Ok(End::Closed),
            Action::UpgradeTls => return Ok(End::UpgradeTls),
            Action::Reply | Action::NoReply => {}
        }
        if res.code == 250 && dropped(behaviour, state) && line != b"QUIT\r\n" {
            return Ok(End::Drop);
        }
    }
}

fn serve(tcp: TcpStream, behaviour: Behaviour, state: Arc<Mutex<State>>) {
    state.lock().unwrap().connections += 1;
    if dropped(&behaviour, &state) {
        let _ = tcp.shutdown(Shutdown::Both);
        return;
    }
    let _ = tcp.set_read_timeout(Some(Duration::from_secs(20)));
    let _ = tcp.set_write_timeout(Some(Duration::from_secs(20)));
    let peer = tcp.peer_addr().map(|a| a.ip()).unwrap_or(IpAddr::from([127, 0, 0, 1]));
    let mut builder = SessionBuilder::new("smtp.test.os2gov");
    if behaviour.tls.is_some() && !behaviour.implicit_tls {
        builder.enable_start_tls();
    }
    if behaviour.auth.is_some() {
        builder.enable_auth(AuthMechanism::Plain);
        builder.enable_auth(AuthMechanism::Login);
    }
    let handler = TestHandler {
        behaviour: behaviour.clone(),
        state: state.clone(),
        from: String::new(),
        to: vec![],
        data: vec![],
    };
    let mut session = builder.build(peer, handler);
    let greeting = session.greeting().buffer().unwrap();

    if behaviour.implicit_tls {
        let config = behaviour.tls.clone().expect("implicit TLS needs a certificate");
        let Ok(conn) = rustls::ServerConnection::new(config) else { return };
        let mut tls = rustls::StreamOwned::new(conn, tcp);
        session.tls_active();
        if tls.write_all(&greeting).and_then(|_| tls.flush()).is_err() {
            return;
        }
        state.lock().unwrap().tls_sessions += 1;
        let mut reader = BufReader::new(tls);
        let _ = session_loop(&mut session, &mut reader, &behaviour, &state);
        let _ = reader.get_mut().sock.shutdown(Shutdown::Both);
        return;
    }

    let mut plain = tcp;
    if plain.write_all(&greeting).is_err() {
        return;
    }
    let mut reader = BufReader::new(plain.try_clone().unwrap());
    match session_loop(&mut session, &mut reader, &behaviour, &state) {
        Ok(End::UpgradeTls) => {
            let config = behaviour.tls.clone().expect("STARTTLS needs a certificate");
            let Ok(conn) = rustls::ServerConnection::new(config) else { return };
            let tls = rustls::StreamOwned::new(conn, plain.try_clone().unwrap());
            session.tls_active();
            state.lock().unwrap().tls_sessions += 1;
            let mut reader = BufReader::new(tls);
            let _ = session_loop(&mut session, &mut reader, &behaviour, &state);
        }
        Ok(End::Closed | End::Drop) | Err(_) => {}
    }
    let _ = plain.shutdown(Shutdown::Both);
}

/// A test CA and a leaf for localhost / 127.0.0.1 signed by it: (CA PEM, server config).
pub(crate) fn test_pki() -> (String, Arc<rustls::ServerConfig>) {
    use rcgen::KeyUsagePurpose;
    use rcgen::{BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair};
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(DnType::CommonName, "os2gov test CA");
    ca_params.key_usages =
        vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    let ca_key = KeyPair::generate().unwrap();
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);

    let mut leaf_params = CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).unwrap();
    leaf_params.distinguished_name.push(DnType::CommonName, "localhost");
    leaf_params.use_authority_key_identifier_extension = true;
    leaf_params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    leaf_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = leaf_params.signed_by(&leaf_key, &issuer).unwrap();

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf.der().clone(), ca_cert.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into()),
        )
        .unwrap();
    (ca_cert.pem(), Arc::new(config))
}
