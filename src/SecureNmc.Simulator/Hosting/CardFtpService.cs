using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SecureNmc.Simulator.Ftp.Server;
using SecureNmc.Simulator.Cards;

namespace SecureNmc.Simulator.Hosting
{
    /// <summary>
    /// Adapts a <see cref="SimulatedCard"/> to the project's FTP server: logins through the card (Device
    /// users read-only, so STOR gets "550 STOR requested action not taken."), the root files, and uploads
    /// checked by the card. Runs only while FTP is enabled on the card.
    /// </summary>
    internal sealed class CardFtpService : IFtpFileSystem, IDisposable
    {
        /// <summary>FTP cannot prompt, so the factory login is refused with a text the client recognises.</summary>
        public const string PasswordChangeReply = "Password change required: log in once through the web interface or SSH and change the factory password.";

        private static readonly string[] RootFiles = { "config.ini", "event.txt", "data.txt" };
        private readonly SimulatedCard _card;
        private readonly FtpServer _server;
        private readonly Action<bool> _uploadFinished;

        public CardFtpService(SimulatedCard card, IPEndPoint endPoint, Action<bool> uploadFinished, ILogger? logger)
        {
            _card = card;
            _uploadFinished = uploadFinished;
            var options = new FtpServerOptions
            {
                ListenAddress = endPoint.Address,
                Port = endPoint.Port,
                Greeting = card.FtpWelcome,
            };
            _server = new FtpServer(options, this, AuthenticateAsync, logger);
        }

        public IPEndPoint LocalEndPoint => _server.LocalEndPoint;
        public int LoggedInSessionCount => _server.LoggedInSessionCount;

        public void Start() => _server.Start();

        /// <summary>Switches the FTP server's own faults to match the card's (read as each command runs).</summary>
        public void ApplyFaults(CardFaults faults) => _server.Faults.NeverOpenDataConnection = faults.SilentFtpDataConnection;
        public void DropAllSessions() => _server.DropAllSessions();

        private async Task<FtpLoginDecision> AuthenticateAsync(FtpLoginRequest request, CancellationToken cancellationToken)
        {
            var result = await _card.AdmitAsync(CardProtocol.Ftp, request.UserName, request.Password, request.RemoteEndPoint.ToString(), cancellationToken).ConfigureAwait(false);
            return result.Failure switch
            {
                CardLoginFailure.None => FtpLoginDecision.Accept(result.User!.MayUpload ? FtpPermission.ReadWrite : FtpPermission.ReadOnly),
                CardLoginFailure.MultiFactorRequired => FtpLoginDecision.Reject(result.Message ?? SimulatedCard.DefaultMfaMessage),
                CardLoginFailure.PasswordChangeRequired => FtpLoginDecision.Reject(PasswordChangeReply),
                CardLoginFailure.SessionLimitReached => FtpLoginDecision.SessionLimitReached(),
                CardLoginFailure.ConnectionRefused => FtpLoginDecision.Disconnect(result.Message ?? "Service not available."),
                _ => FtpLoginDecision.Reject("Login incorrect."),
            };
        }

        public IReadOnlyList<FtpFileEntry> ListRoot(FtpSessionInfo session)
        {
            var entries = new List<FtpFileEntry>();
            foreach (var name in RootFiles)
            {
                var entry = Find(name, session);
                if (entry != null) entries.Add(entry);
            }
            return entries;
        }

        public FtpFileEntry? Find(string name, FtpSessionInfo session)
        {
            var bytes = Read(name, session);
            return bytes == null ? null : new FtpFileEntry(name, bytes.Length, DateTime.UtcNow);
        }

        public Stream? OpenRead(string name, FtpSessionInfo session)
        {
            var bytes = Read(name, session);
            return bytes == null ? null : new MemoryStream(bytes, writable: false);
        }

        /// <summary>The FTP server's file calls are synchronous; the card's reply latency is waited here.</summary>
        private byte[]? Read(string name, FtpSessionInfo session)
        {
            try
            {
                using var cardSession = _card.OpenServerSession(session.UserName, CardProtocol.Ftp);
                return cardSession.ReadFileAsync(name, CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (CardOperationException ex) when (ex.Kind == CardErrorKind.NotFound)
            {
                return null;
            }
            catch (CardOperationException ex)
            {
                throw new FtpCommandRefusedException(ex.Kind == CardErrorKind.PermissionDenied ? 550 : 421, ex.Message);
            }
        }

        public async Task<FtpUploadResult> ReceiveUploadAsync(string name, Stream content, FtpSessionInfo session, CancellationToken cancellationToken)
        {
            bool restarting = false;
            try
            {
                using var cardSession = _card.OpenServerSession(session.UserName, CardProtocol.Ftp);
                var result = await cardSession.ReceiveUploadAsync(name, content, -1, cancellationToken).ConfigureAwait(false);
                restarting = result.Accepted;
                return result.Accepted ? FtpUploadResult.Accept("Transfer complete.") : FtpUploadResult.Reject(result.Message, 550);
            }
            catch (CardOperationException ex) when (ex.Kind == CardErrorKind.ConnectionDropped)
            {
                _server.DropAllSessions(); // the card cut the link
                return FtpUploadResult.Reject("Connection closed; transfer aborted.", 426);
            }
            catch (CardOperationException ex)
            {
                return FtpUploadResult.Reject(ex.Message, 550);
            }
            finally
            {
                _uploadFinished(restarting);
            }
        }

        public void Dispose() => _server.Dispose();
    }
}
