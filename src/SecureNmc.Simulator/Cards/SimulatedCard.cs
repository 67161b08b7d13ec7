using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.CardFiles;
using SecureNmc.Core.Devices;
using SecureNmc.Simulator.Firmware;
using SecureNmc.Simulator.Rendering;

namespace SecureNmc.Simulator.Cards
{
    public enum CardState
    {
        /// <summary>Serving SSH (and FTP when enabled).</summary>
        Running,
        /// <summary>Applying firmware: every connection is refused.</summary>
        Restarting,
        /// <summary>Went down and never came back (fault); <see cref="SimulatedCard.PowerCycle"/> revives it.</summary>
        Offline,
    }

    public enum CardProtocol
    {
        Ssh,
        Ftp,
    }

    /// <summary>
    /// One simulated NMC3 (or NMC2): its identity, users, files, firmware behaviour, timing and faults,
    /// independent of any wire protocol. The SSH/SCP and FTP servers, and the in-process transport,
    /// only adapt this class. Thread-safe.
    /// </summary>
    public sealed class SimulatedCard : IDisposable
    {
        public const string DefaultMfaMessage = "Multi-factor authentication is enabled for this user. Log in through the web interface to complete verification.";
        public const string MaxLoginsMessage = "Max logins exceeded.";
        public const string PasswordChangePrompt = "Your password must be changed before first use.\r\nEnter current password: ";

        private readonly object _sync = new object();
        private readonly List<CardEvent> _events = new List<CardEvent>(); // newest first
        private readonly List<CardSession> _sessions = new List<CardSession>();
        private readonly List<CardUser> _users;
        private readonly CancellationTokenSource _lifetime = new CancellationTokenSource();
        private readonly Lazy<SimulatorHostKey> _hostKey;
        private readonly Lazy<SimulatorHostKey> _replacementHostKey;
        // The RSA-2048 key a RsaHostKeyOnly or LegacySshOnly card presents, whatever its profile selects.
        private readonly Lazy<SimulatorHostKey> _rsaHostKey = new Lazy<SimulatorHostKey>(() => SimulatorHostKey.Create(SimulatorHostKeyType.Rsa2048));
        // An NMC2-era card's RSA key, signing only with SHA-1 ssh-rsa (LegacySshOnly).
        private readonly Lazy<SimulatorHostKey> _legacyRsaHostKey = new Lazy<SimulatorHostKey>(SimulatorHostKey.LegacyRsa);
        private bool _installPending;
        private bool _linkDown;
        private CardState _state = CardState.Running;
        private DateTime _bootTime;
        private TaskCompletionSource<bool> _runningSignal = NewSignal(true);
        private int _updatesApplied;
        private long _uploadBytesReceived;
        private long _uploadPacingTicks;

        public SimulatedCard(string name, CardProfile profile, SimulatorClock clock, IEnumerable<CardUser>? users = null)
        {
            Name = name;
            Profile = profile ?? throw new ArgumentNullException(nameof(profile));
            var keyType = profile.HostKeyType;
            _hostKey = new Lazy<SimulatorHostKey>(() => SimulatorHostKey.Create(keyType));
            _replacementHostKey = new Lazy<SimulatorHostKey>(() => SimulatorHostKey.Create(keyType, _hostKey.Value));
            Clock = clock ?? throw new ArgumentNullException(nameof(clock));
            _users = (users ?? DefaultUsers()).ToList();
            _faults.Changed += OnFaultsChanged;
            _bootTime = clock.Now.AddHours(-1);
            AddEvent("0x0001", "System: Coldstart.", _bootTime);
            AddEvent("0x0005", "System: Network service started. IPv4 address " + profile.IpAddress + " assigned by manual configuration.", _bootTime.AddSeconds(20));
        }

        /// <summary>The users every card has unless told otherwise: see <see cref="CardUserKind"/>.</summary>
        public static IEnumerable<CardUser> DefaultUsers() => new[]
        {
            new CardUser("admin", "Admin!2345", CardUserKind.Administrator),
            new CardUser("device", "Device!2345", CardUserKind.DeviceUser),
            new CardUser("mfauser", "Mfa!23456", CardUserKind.MultiFactor, "mfa.user@example.com"),
            new CardUser("apc", "apc", CardUserKind.FactoryDefault),
        };

        public string Name { get; }

        /// <summary>The live profile. Change it only while no session is busy (tests set it up front).</summary>
        public CardProfile Profile { get; private set; }

        public SimulatorClock Clock { get; }
        public CardTiming Timing { get; set; } = new CardTiming();
        private CardFaults _faults = new CardFaults();
        private bool _ftpEnabled;

        /// <summary>The card's faults; switching one (or replacing the set) raises <see cref="ConfigurationChanged"/>.</summary>
        public CardFaults Faults
        {
            get => _faults;
            set
            {
                if (value == null) throw new ArgumentNullException(nameof(value));
                _faults.Changed -= OnFaultsChanged;
                _faults = value;
                _faults.Changed += OnFaultsChanged;
                ConfigurationChanged?.Invoke(this, EventArgs.Empty);
            }
        }

        /// <summary>Raised when faults or enabled services change, so hosting servers can follow.</summary>
        public event EventHandler? ConfigurationChanged;

        private void OnFaultsChanged(object? sender, EventArgs e) => ConfigurationChanged?.Invoke(this, EventArgs.Empty);

        /// <summary>Where servers host this card (the in-process transport matches on these too).</summary>
        public string Host
        {
            get => _host;
            set => SetEndpoint(ref _host, value ?? throw new ArgumentNullException(nameof(value)));
        }

        public int SshPort
        {
            get => _sshPort;
            set => SetEndpoint(ref _sshPort, value);
        }

        public int FtpPort
        {
            get => _ftpPort;
            set => SetEndpoint(ref _ftpPort, value);
        }

        private void SetEndpoint<T>(ref T field, T value)
        {
            if (EqualityComparer<T>.Default.Equals(field, value)) return; // strings compare ordinally
            field = value;
            EndpointChanged?.Invoke(this);
        }

        /// <summary>Raised after <see cref="Host"/>, <see cref="SshPort"/> or <see cref="FtpPort"/> changed (a fleet re-indexes the card).</summary>
        internal event Action<SimulatedCard>? EndpointChanged;

        private string _host = "127.0.0.1";
        private int _sshPort = 22;
        private int _ftpPort = 21;

        /// <summary>NMC3 ships with FTP off.</summary>
        public bool FtpEnabled
        {
            get => _ftpEnabled;
            set
            {
                if (_ftpEnabled == value) return;
                _ftpEnabled = value;
                ConfigurationChanged?.Invoke(this, EventArgs.Empty);
            }
        }

        /// <summary>Sessions allowed at once (1 = single-session mode, as the field notes observed).</summary>
        public int MaxSessions { get; set; } = 1;

        public string MfaMessage { get; set; } = DefaultMfaMessage;

        /// <summary>
        /// Whether an application-type change (factory reset) also resets the accounts to the factory
        /// apc/apc login. Off by default: the seed only says "factory settings"; turn it on to rehearse the worst case.
        /// </summary>
        public bool FactoryResetRestoresDefaultUsers { get; set; }

        public IReadOnlyList<CardUser> Users { get { lock (_sync) return _users.ToList(); } }

        public void SetUsers(IEnumerable<CardUser> users)
        {
            lock (_sync)
            {
                _users.Clear();
                _users.AddRange(users);
            }
        }

        public CardState State { get { lock (_sync) return _state; } }
        /// <summary>Sessions holding a slot (the card's own; servers' connections are counted by the servers).</summary>
        public int ActiveSessionCount { get { lock (_sync) return _sessions.Count(s => s.CountsTowardLimit); } }
        public int FirmwareUpdatesApplied => Volatile.Read(ref _updatesApplied);

        /// <summary>Newest first, as event.txt lists them.</summary>
        public IReadOnlyList<CardEvent> Events { get { lock (_sync) return _events.ToList(); } }

        /// <summary>The card's own host key; <see cref="PresentedHostKey"/> is what SSH actually shows.</summary>
        public SimulatorHostKey HostKey => _hostKey.Value;

        /// <summary>With <see cref="CardFaults.PresentDifferentHostKey"/> a replacement key, as a swapped card would have.</summary>
        /// <summary>With <see cref="CardFaults.RsaHostKeyOnly"/> or <see cref="CardFaults.LegacySshOnly"/> the card's RSA key.</summary>
        public SimulatorHostKey PresentedHostKey =>
            Faults.LegacySshOnly ? _legacyRsaHostKey.Value : Faults.RsaHostKeyOnly ? _rsaHostKey.Value : Faults.PresentDifferentHostKey ? _replacementHostKey.Value : _hostKey.Value;

        /// <summary>True while a <see cref="CardFaults.FlappingLink"/> drop lasts: the card runs but nothing reaches it.</summary>
        public bool LinkDown
        {
            get { lock (_sync) return _linkDown; }
            private set
            {
                lock (_sync)
                {
                    if (_linkDown == value) return;
                    _linkDown = value;
                }
                ConfigurationChanged?.Invoke(this, EventArgs.Empty);
            }
        }

        /// <summary>
        /// Awaited after the restart duration, before the card counts as back: a hosting server uses it to
        /// finish taking the old listeners down, so a card never appears "back" while its pre-restart
        /// connections are still open.
        /// </summary>
        public Func<Task>? BeforeComingBack { get; set; }

        /// <summary>Raised after every state change (restart begun, back up, gone offline).</summary>
        public event EventHandler<CardState>? StateChanged;

        /// <summary>Null when a connection on <paramref name="protocol"/> would be accepted, else why it is refused.</summary>
        public string? ConnectionRefusal(CardProtocol protocol)
        {
            lock (_sync)
            {
                if (_state == CardState.Restarting) return "Connection refused: the card is restarting.";
                if (_state == CardState.Offline) return "Connection refused: the card is not responding.";
            }
            if (Faults.RefuseConnections || LinkDown) return "Connection refused.";
            if (protocol == CardProtocol.Ftp && !FtpEnabled) return "Connection refused: FTP is disabled on this card.";
            return null;
        }

        /// <summary>The FTP "220" text.</summary>
        public string FtpWelcome { get { lock (_sync) return CliRenderer.RenderFtpWelcome(Profile); } }

        /// <summary>The banner shown to <paramref name="userName"/> (SSH); null for the pre-login banner, which shows no user role.</summary>
        public string BannerFor(string? userName)
        {
            var user = userName == null ? null : FindUser(userName);
            return CliRenderer.RenderBanner(Snapshot(userName ?? "", user?.RoleName ?? (userName == null ? "-" : "Administrator")));
        }

        /// <summary>
        /// Sessions held by protocol servers that track their own connections (an SSH or FTP server
        /// hosting this card); they count toward <see cref="MaxSessions"/> together with this card's own sessions.
        /// </summary>
        public Func<int>? ExternalSessionCount { get; set; }

        /// <summary>Validates a login and opens a session that holds one of the card's session slots until disposed.</summary>
        public Task<CardLoginResult> LoginAsync(CardProtocol protocol, string userName, string password, string? peer, CancellationToken cancellationToken) =>
            LoginCoreAsync(protocol, userName, password, peer, openSession: true, cancellationToken);

        /// <summary>
        /// Validates a login for a protocol server that counts its own logged-in connections (see
        /// <see cref="ExternalSessionCount"/>): same checks and messages as <see cref="LoginAsync"/>, but no
        /// session object; the server then opens one <see cref="OpenServerSession"/> per operation.
        /// </summary>
        public Task<CardLoginResult> AdmitAsync(CardProtocol protocol, string userName, string password, string? peer, CancellationToken cancellationToken) =>
            LoginCoreAsync(protocol, userName, password, peer, openSession: false, cancellationToken);

        /// <summary>
        /// A session for one operation of a connection a server already admitted. It does not take a
        /// session slot (the server's connection does), but it is dropped like any other when the card restarts.
        /// </summary>
        public CardSession OpenServerSession(string userName, CardProtocol protocol)
        {
            var user = FindUser(userName) ?? throw new CardOperationException(CardErrorKind.PermissionDenied, $"User '{Sanitize(userName)}' does not exist on this card.");
            lock (_sync)
            {
                if (_state != CardState.Running) throw new CardOperationException(CardErrorKind.ConnectionDropped, "The card is restarting.");
                var session = new CardSession(this, user, protocol) { CountsTowardLimit = false };
                _sessions.Add(session);
                return session;
            }
        }

        private async Task<CardLoginResult> LoginCoreAsync(CardProtocol protocol, string userName, string password, string? peer, bool openSession, CancellationToken cancellationToken)
        {
            var refusal = ConnectionRefusal(protocol);
            if (refusal != null) return CardLoginResult.Fail(CardLoginFailure.ConnectionRefused, refusal);
            await ReplyDelayAsync(cancellationToken).ConfigureAwait(false);
            refusal = ConnectionRefusal(protocol);
            if (refusal != null) return CardLoginResult.Fail(CardLoginFailure.ConnectionRefused, refusal);

            var user = FindUser(userName);
            if (user == null || !string.Equals(user.Password, password, StringComparison.Ordinal))
            {
                AddEvent("0x0017", $"System: {ProtocolName(protocol)} user '{Sanitize(userName)}' failed to log in from {peer ?? "unknown"}.");
                return CardLoginResult.Fail(CardLoginFailure.BadCredentials, "Permission denied, please try again.");
            }
            if (user.Kind == CardUserKind.MultiFactor) return CardLoginResult.Fail(CardLoginFailure.MultiFactorRequired, MfaMessage);
            if (user.Kind == CardUserKind.FactoryDefault) return CardLoginResult.Fail(CardLoginFailure.PasswordChangeRequired, PasswordChangePrompt);
            int external = ExternalSessionCount?.Invoke() ?? 0;
            lock (_sync)
            {
                if (_sessions.Count(s => s.CountsTowardLimit) + external >= MaxSessions)
                    return CardLoginResult.Fail(CardLoginFailure.SessionLimitReached, MaxLoginsMessage);
                AddEventLocked("0x0014", $"System: {ProtocolName(protocol)} user '{user.UserName}' logged in from {peer ?? "unknown"}.", Clock.Now);
                if (!openSession) return CardLoginResult.Admitted(user);
                var session = new CardSession(this, user, protocol);
                _sessions.Add(session);
                return CardLoginResult.Success(session);
            }
        }

        /// <summary>Waits until the card serves again (after a restart); honours cancellation.</summary>
        public Task WaitUntilRunningAsync(CancellationToken cancellationToken)
        {
            Task signal;
            lock (_sync) signal = _runningSignal.Task;
            return signal.IsCompleted ? Task.CompletedTask : WaitAsync(signal, cancellationToken);
        }

        /// <summary>Brings an Offline (never-came-back) or restarting card up again on its current versions.</summary>
        public void PowerCycle()
        {
            lock (_sync)
            {
                _bootTime = Clock.Now;
                AddEventLocked("0x0001", "System: Coldstart.", _bootTime);
            }
            SetState(CardState.Running);
        }

        /// <summary>
        /// A consistent copy to render from. The event log (up to 500 entries) is copied only for what
        /// prints it (event.txt): banners, <c>about</c> and the other files are rendered on every
        /// connection of a fleet rehearsal and need none of it.
        /// </summary>
        internal CardRenderContext Snapshot(string userName, string role, bool withEvents = false)
        {
            lock (_sync)
                return new CardRenderContext(Profile.Clone(), withEvents ? _events.ToList() : (IReadOnlyList<CardEvent>)Array.Empty<CardEvent>(),
                                             Clock.Now, _bootTime, FtpEnabled, FtpPort, SshPort, userName, role);
        }

        /// <summary>The card's reply time; ends early (cancelled) when the card is disposed, so no delay outlives its fleet.</summary>
        internal async Task ReplyDelayAsync(CancellationToken ct)
        {
            var latency = Faults.AnswerSlowly ? Timing.SlowReplyLatency : Timing.ReplyLatency;
            if (Clock.ToReal(latency) <= TimeSpan.Zero) return;
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _lifetime.Token);
            await Clock.DelayAsync(latency, linked.Token).ConfigureAwait(false);
        }

        /// <summary>Upload bytes this card has taken in so far (every session, every protocol), counted as each chunk arrives.</summary>
        public long UploadBytesReceived => Interlocked.Read(ref _uploadBytesReceived);

        /// <summary>
        /// Simulated time this card has finished pacing uploads at <see cref="CardTiming.UploadBytesPerSecond"/>
        /// (counted whatever the time scale, so it shows the pacing even when the clock does not wait).
        /// </summary>
        public TimeSpan UploadPacingTime => TimeSpan.FromTicks(Interlocked.Read(ref _uploadPacingTicks));

        /// <summary>Cancelled when the card is disposed: a stalled transfer must not outlive its fleet.</summary>
        internal CancellationToken Lifetime => _lifetime.Token;

        internal void CountUploadBytes(int bytes) => Interlocked.Add(ref _uploadBytesReceived, bytes);

        internal void CountUploadPacing(TimeSpan paced) => Interlocked.Add(ref _uploadPacingTicks, paced.Ticks);

        internal void Remove(CardSession session)
        {
            lock (_sync) _sessions.Remove(session);
        }

        /// <summary>Checks a received file and, when it is a valid package for this card, restarts into it.</summary>
        internal CardUploadResult InstallPackage(string fileName, SimulatorFirmwarePackage? package, string? problem, CardSession from)
        {
            CardProfile current;
            lock (_sync) current = Profile.Clone();
            if (package == null) return Reject(fileName, problem!);
            if (!string.Equals(package.HardwareCode, current.HardwareCode, StringComparison.OrdinalIgnoreCase))
                return Reject(fileName, $"the package is for {package.HardwareCode} hardware, this card is {current.HardwareCode}");
            if (!ApplicationTypeInfo.CanChange(current.ApplicationType, package.ApplicationType))
                return Reject(fileName, $"this card runs {ApplicationTypeInfo.Get(current.ApplicationType).FileCode} and cannot change to {ApplicationTypeInfo.Get(package.ApplicationType).FileCode}");

            if (Faults.SlowToStartInstalling)
            {
                lock (_sync)
                {
                    // One package waits at a time: a second upload meanwhile must not be installed twice.
                    if (_installPending) return CardUploadResult.Reject("Firmware upgrade failed: an update is already in progress.");
                    _installPending = true;
                }
                _ = StartInstallingLaterAsync(fileName, package);
                return CardUploadResult.Accept($"Firmware {fileName} accepted; the card will restart to install it.");
            }
            BeginRestart(fileName, package, from);
            return CardUploadResult.Accept($"Firmware {fileName} accepted; the card is restarting.");
        }

        /// <summary>The <see cref="CardFaults.SlowToStartInstalling"/> card keeps serving its old versions, then restarts.</summary>
        private async Task StartInstallingLaterAsync(string fileName, SimulatorFirmwarePackage package)
        {
            try
            {
                await Clock.DelayAsync(Timing.InstallStartDelay, _lifetime.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return; // card disposed
            }
            finally
            {
                lock (_sync) _installPending = false;
            }
            BeginRestart(fileName, package, null);
        }

        private void BeginRestart(string fileName, SimulatorFirmwarePackage package, CardSession? from)
        {
            List<CardSession> dropped;
            lock (_sync)
            {
                AddEventLocked("0x0079", $"System: File transfer started: {fileName}. Restarting to install the firmware.", Clock.Now);
                _state = CardState.Restarting;
                _runningSignal = NewSignal(false);
                dropped = _sessions.ToList();
                _sessions.Clear();
            }
            foreach (var s in dropped) s.MarkDropped(s == from ? "The card is restarting to install new firmware." : "Connection closed: the card is restarting.");
            StateChanged?.Invoke(this, CardState.Restarting);
            _ = RestartAsync(package);
        }

        private CardUploadResult Reject(string fileName, string reason)
        {
            AddEvent("0x007A", $"System: Firmware update failed: {fileName}: {reason}.");
            return CardUploadResult.Reject($"Firmware upgrade failed: {reason}.");
        }

        private async Task RestartAsync(SimulatorFirmwarePackage package)
        {
            try
            {
                await Clock.DelayAsync(Timing.RestartDuration, _lifetime.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return; // card disposed
            }
            var hold = BeforeComingBack?.Invoke();
            if (hold != null)
            {
                var lifetime = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                using (_lifetime.Token.Register(() => lifetime.TrySetResult(true)))
                    await Task.WhenAny(hold, lifetime.Task).ConfigureAwait(false);
                if (_lifetime.IsCancellationRequested) return;
            }
            if (Faults.NeverComeBack)
            {
                SetState(CardState.Offline);
                return;
            }
            lock (_sync)
            {
                _bootTime = Clock.Now;
                if (!Faults.ComeBackOnOldVersion)
                {
                    var next = Profile.Clone();
                    bool typeChanged = next.ApplicationType != package.ApplicationType;
                    next.ApplicationType = package.ApplicationType;
                    next.AosVersion = package.AosVersion;
                    next.ApplicationVersion = package.ApplicationVersion;
                    if (package.BootloaderVersion != null) next.BootloaderVersion = package.BootloaderVersion;
                    if (typeChanged)
                    {
                        next.ResetSystemIdentity();
                        _events.Clear();
                        if (FactoryResetRestoresDefaultUsers)
                        {
                            _users.Clear();
                            _users.Add(new CardUser("apc", "apc", CardUserKind.FactoryDefault));
                        }
                    }
                    Profile = next;
                    AddEventLocked("0x0001", "System: Coldstart.", _bootTime);
                    if (typeChanged) AddEventLocked("0x0003", "System: Configuration reset to factory defaults.", _bootTime);
                    AddEventLocked(CardEvent.FirmwareUpdatedCode, CardEvent.FirmwareUpdatedText, _bootTime);
                    Interlocked.Increment(ref _updatesApplied);
                }
                else
                {
                    AddEventLocked("0x0001", "System: Coldstart.", _bootTime);
                }
            }
            SetState(CardState.Running);
            if (Faults.FlappingLink) await FlapLinkAsync().ConfigureAwait(false);
        }

        /// <summary>The <see cref="CardFaults.FlappingLink"/> card: back up, then its link drops and returns a few times.</summary>
        private async Task FlapLinkAsync()
        {
            try
            {
                for (int i = 0; i < Timing.LinkFlaps; i++)
                {
                    await Clock.DelayAsync(Timing.LinkFlapDuration, _lifetime.Token).ConfigureAwait(false);
                    LinkDown = true;
                    List<CardSession> dropped;
                    lock (_sync)
                    {
                        dropped = _sessions.ToList();
                        _sessions.Clear();
                    }
                    foreach (var s in dropped) s.MarkDropped("Connection lost: the network link went down.");
                    await Clock.DelayAsync(Timing.LinkFlapDuration, _lifetime.Token).ConfigureAwait(false);
                    LinkDown = false;
                }
            }
            catch (OperationCanceledException)
            {
                // card disposed
            }
            finally
            {
                LinkDown = false;
            }
        }

        /// <summary>Handlers (hosting servers) run before waiters are released, so a card reported back is also listening.</summary>
        private void SetState(CardState state)
        {
            TaskCompletionSource<bool>? toRelease = null;
            lock (_sync)
            {
                _state = state;
                if (state == CardState.Running) toRelease = _runningSignal;
            }
            StateChanged?.Invoke(this, state);
            toRelease?.TrySetResult(true);
        }

        private CardUser? FindUser(string userName)
        {
            lock (_sync) return _users.FirstOrDefault(u => string.Equals(u.UserName, userName, StringComparison.Ordinal));
        }

        private void AddEvent(string code, string text, DateTime? time = null)
        {
            lock (_sync) AddEventLocked(code, text, time ?? Clock.Now);
        }

        private void AddEventLocked(string code, string text, DateTime time)
        {
            _events.Insert(0, new CardEvent(time, code, text));
            if (_events.Count > 500) _events.RemoveAt(_events.Count - 1); // cards keep a bounded log
        }

        private static string ProtocolName(CardProtocol p) => p == CardProtocol.Ftp ? "FTP" : "SSH";

        private static string Sanitize(string text) => new string(text.Where(c => !char.IsControl(c)).Take(64).ToArray());

        private static TaskCompletionSource<bool> NewSignal(bool set)
        {
            var tcs = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (set) tcs.SetResult(true);
            return tcs;
        }

        private static async Task WaitAsync(Task signal, CancellationToken ct)
        {
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (ct.Register(() => cancelled.TrySetCanceled()))
                await (await Task.WhenAny(signal, cancelled.Task).ConfigureAwait(false)).ConfigureAwait(false);
        }

        public void Dispose()
        {
            _lifetime.Cancel();
            List<CardSession> sessions;
            lock (_sync)
            {
                sessions = _sessions.ToList();
                _sessions.Clear();
            }
            foreach (var s in sessions) s.MarkDropped("The card was shut down.");
            if (_hostKey.IsValueCreated) _hostKey.Value.Dispose();
            if (_replacementHostKey.IsValueCreated) _replacementHostKey.Value.Dispose();
            if (_rsaHostKey.IsValueCreated) _rsaHostKey.Value.Dispose();
            if (_legacyRsaHostKey.IsValueCreated) _legacyRsaHostKey.Value.Dispose();
        }
    }
}
