using System;
using System.IO;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecureNmc.Simulator.Ssh.Scp;
using SecureNmc.Simulator.Ssh.Server;
using SecureNmc.Simulator.Cards;

namespace SecureNmc.Simulator.Hosting
{
    /// <summary>
    /// Adapts a <see cref="SimulatedCard"/> to the project's SSH server: password login through the card,
    /// exec <c>scp -t name</c> / <c>scp -f name</c> and CLI commands (<c>about</c>), the card's banner as
    /// SSH_MSG_USERAUTH_BANNER, and the card's presented host key. One server instance per listening period.
    /// </summary>
    internal sealed class CardSshService : IDisposable
    {
        private readonly SimulatedCard _card;
        private readonly SshServer _server;
        private readonly Action<bool> _execFinished;
        private int _execsRunning;

        public CardSshService(SimulatedCard card, IPEndPoint endPoint, Action<bool> execFinished, ILogger? logger)
        {
            _card = card;
            _execFinished = execFinished;
            PresentedHostKey = card.PresentedHostKey;
            LegacyOnly = card.Faults.LegacySshOnly;
            _server = new SshServer(new SshServerOptions
            {
                // An NMC2-era card: nothing newer than SHA-1 key exchange, CBC and hmac-sha1.
                AllowLegacyAlgorithms = LegacyOnly,
                KeyExchangeAlgorithms = LegacyOnly ? LegacyKeyExchanges : null,
                HostKeyAlgorithms = LegacyOnly ? new[] { "ssh-rsa" } : null,
                Ciphers = LegacyOnly ? LegacyCiphers : null,
                Macs = LegacyOnly ? new[] { "hmac-sha1" } : null,
                EndPoint = endPoint,
                HostKeys = new[] { PresentedHostKey },
                PasswordCheck = CheckPasswordAsync,
                ExecHandler = ExecAsync,
                Banner = card.BannerFor(null),
                SoftwareVersion = "NMC3_Simulator",
                MaxConnections = 8,
                LoginGraceTime = TimeSpan.FromMinutes(2),
                ReadTimeout = TimeSpan.FromMinutes(2),
                Logger = logger ?? NullLogger.Instance,
            });
        }

        private static readonly string[] LegacyKeyExchanges = { "diffie-hellman-group14-sha1", "diffie-hellman-group1-sha1" };
        private static readonly string[] LegacyCiphers = { "aes128-cbc", "3des-cbc" };

        public SimulatorHostKey PresentedHostKey { get; }

        /// <summary>Serves only the <see cref="CardFaults.LegacySshOnly"/> algorithms.</summary>
        public bool LegacyOnly { get; }
        public IPEndPoint LocalEndPoint => _server.LocalEndPoint;
        public int AuthenticatedSessionCount => _server.AuthenticatedSessionCount;
        public bool ExecRunning => Volatile.Read(ref _execsRunning) > 0;

        public void Start() => _server.Start();

        public void DropAllSessions() => _server.DropAllSessions();

        private async Task<SshPasswordCheckResult> CheckPasswordAsync(SshPasswordCheckContext context)
        {
            var result = await _card.AdmitAsync(CardProtocol.Ssh, context.UserName, context.Password, context.RemoteEndPoint?.ToString(), CancellationToken.None).ConfigureAwait(false);
            return result.Failure switch
            {
                CardLoginFailure.None => SshPasswordCheckResult.Accept(),
                CardLoginFailure.MultiFactorRequired => SshPasswordCheckResult.RejectWithMessage(result.Message ?? SimulatedCard.DefaultMfaMessage),
                CardLoginFailure.PasswordChangeRequired => SshPasswordCheckResult.RequirePasswordChange(result.Message),
                CardLoginFailure.SessionLimitReached => SshPasswordCheckResult.SessionLimitReached(result.Message ?? SimulatedCard.MaxLoginsMessage),
                // The card went down between accept and login: hang up as it would.
                CardLoginFailure.ConnectionRefused => SshPasswordCheckResult.SessionLimitReached(result.Message ?? "Connection refused."),
                _ => SshPasswordCheckResult.Reject(),
            };
        }

        private async Task<int> ExecAsync(SshExecContext context)
        {
            Interlocked.Increment(ref _execsRunning);
            bool restarting = false;
            try
            {
                if (ScpCommand.TryParse(context.Command, out var scp)) return await ScpAsync(context, scp).ConfigureAwait(false);
                using var session = _card.OpenServerSession(context.UserName, CardProtocol.Ssh);
                var output = await session.RunCommandAsync(context.Command, context.Aborted).ConfigureAwait(false);
                var bytes = Encoding.UTF8.GetBytes(output);
                await context.Output.WriteAsync(bytes, 0, bytes.Length, context.Aborted).ConfigureAwait(false);
                await context.Output.FlushAsync(context.Aborted).ConfigureAwait(false);
                return output.StartsWith("E000", StringComparison.Ordinal) || output.StartsWith("Bye", StringComparison.Ordinal) ? 0 : 1;
            }
            catch (CardOperationException ex) when (ex.Kind == CardErrorKind.ConnectionDropped)
            {
                restarting = true;
                return 1;
            }
            finally
            {
                Interlocked.Decrement(ref _execsRunning);
                _execFinished(restarting || _card.State != CardState.Running);
            }
        }

        private Task<int> ScpAsync(SshExecContext context, ScpCommand command)
        {
            var handler = new ScpServerHandler
            {
                ReadFile = async (name, ct) =>
                {
                    using var session = _card.OpenServerSession(context.UserName, CardProtocol.Ssh);
                    try
                    {
                        return await session.ReadFileAsync(name, ct).ConfigureAwait(false);
                    }
                    catch (CardOperationException ex) when (ex.Kind == CardErrorKind.NotFound)
                    {
                        return null;
                    }
                    catch (CardOperationException ex) when (ex.Kind == CardErrorKind.PermissionDenied)
                    {
                        throw new UnauthorizedAccessException(ex.Message);
                    }
                },
                // The card reads the file straight from the channel at its own pace: the sender is held back by the window.
                ReceiveFile = async (name, content, length, ct) =>
                {
                    using var session = _card.OpenServerSession(context.UserName, CardProtocol.Ssh);
                    CardUploadResult result;
                    try
                    {
                        result = await session.ReceiveUploadAsync(name, content, length, ct).ConfigureAwait(false);
                    }
                    catch (CardOperationException ex) when (ex.Kind == CardErrorKind.PermissionDenied)
                    {
                        throw new UnauthorizedAccessException(ex.Message);
                    }
                    catch (CardOperationException ex) when (ex.Kind == CardErrorKind.ConnectionDropped)
                    {
                        _server.DropAllSessions(); // the card cut the link: no reply at all
                        throw new OperationCanceledException(ex.Message);
                    }
                    if (!result.Accepted) throw new InvalidDataException(result.Message);
                },
            };
            return handler.RunAsync(context, command);
        }

        public void Dispose() => _server.Dispose();
    }
}
