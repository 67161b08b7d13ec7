using SecureNmc.Core.Ftp;
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace SecureNmc.Simulator.Ftp.Server
{
    /// <summary>One control connection of <see cref="FtpServer"/>: reads commands one at a time and answers them.</summary>
    internal sealed partial class FtpServerSession
    {
        private static readonly Encoding Utf8 = new UTF8Encoding(false);
        private readonly FtpServer server;
        private readonly Socket control;
        private readonly NetworkStream stream;
        private readonly FtpLineReader lines;
        private readonly CancellationTokenSource lifetime = new CancellationTokenSource();
        private readonly List<IDisposable> openResources = new List<IDisposable>();
        private CancellationToken token;
        private string? pendingUser;
        private FtpSessionInfo? user;
        private bool epsvAll;
        private Socket? passiveListener;
        private IPEndPoint? activeTarget;
        private int aborted;

        public FtpServerSession(FtpServer server, Socket control)
        {
            this.server = server;
            this.control = control;
            control.NoDelay = true;
            RemoteEndPoint = (IPEndPoint)control.RemoteEndPoint!;
            LocalEndPoint = (IPEndPoint)control.LocalEndPoint!;
            stream = new NetworkStream(control, ownsSocket: true);
            lines = new FtpLineReader(stream, FtpLimits.MaxLineLength);
        }

        public IPEndPoint RemoteEndPoint { get; }
        private IPEndPoint LocalEndPoint { get; }
        private FtpServerOptions Options => server.Options;
        private ILogger Logger => server.Logger;

        /// <summary>Serves the connection; with a <paramref name="refusal"/> it only answers "421 refusal" and hangs up.</summary>
        public async Task RunAsync(CancellationToken serverStopping, string? refusal = null)
        {
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(serverStopping, lifetime.Token))
            {
                token = linked.Token;
                try
                {
                    if (refusal != null)
                    {
                        Logger.LogInformation("FTP connection from {Remote} refused: {Refusal}", RemoteEndPoint, refusal);
                        await ReplyAsync(421, refusal).ConfigureAwait(false);
                        return;
                    }
                    await ReplyAsync(220, Options.Greeting).ConfigureAwait(false);
                    while (!token.IsCancellationRequested)
                    {
                        string? line;
                        try
                        {
                            line = await StepDeadline.RunAsync(t => lines.ReadLineAsync(t), Options.IdleTimeout, stream, token).ConfigureAwait(false);
                        }
                        catch (StepTimeoutException)
                        {
                            return;  // the deadline closed the connection; nobody is left to read a 421
                        }
                        catch (FtpLineException)
                        {
                            await ReplyAsync(500, "Command line too long or malformed.").ConfigureAwait(false);
                            return;
                        }
                        if (line == null) return;

                        int space = line.IndexOf(' ');
                        string verb = (space < 0 ? line : line.Substring(0, space)).Trim().ToUpperInvariant();
                        string argument = space < 0 ? "" : line.Substring(space + 1).Trim();
                        Logger.LogDebug("FTP server {Remote} -> {Verb}{Shown}", RemoteEndPoint, verb, verb == "PASS" ? " ****" : (argument.Length > 0 ? " " + argument : ""));
                        if (!await DispatchAsync(verb, argument).ConfigureAwait(false)) return;
                    }
                }
                finally
                {
                    if (user != null)
                    {
                        user = null;
                        server.OnLoggedOut();
                    }
                    CloseGracefully();
                }
            }
        }

        /// <summary>Normal end (QUIT, a 421 refusal, the client left): the last reply is delivered before the close.</summary>
        private void CloseGracefully()
        {
            if (IsAborted) return;
            try { control.Shutdown(SocketShutdown.Send); } catch (Exception) { }
            Abort(reset: false);
        }

        /// <summary>Resets every connection of this session at once (card restart, fault injection).</summary>
        public void Abort() => Abort(reset: true);

        private void Abort(bool reset)
        {
            if (Interlocked.Exchange(ref aborted, 1) != 0) return;
            try { lifetime.Cancel(); } catch (ObjectDisposedException) { }
            if (reset)
            {
                try { control.LingerState = new LingerOption(true, 0); } catch (Exception) { }
            }
            try { stream.Dispose(); } catch (Exception) { }
            lock (openResources)
            {
                foreach (var resource in openResources)
                {
                    try { if (resource is Socket socket) socket.LingerState = new LingerOption(true, 0); } catch (Exception) { }
                    try { resource.Dispose(); } catch (Exception) { }
                }
                openResources.Clear();
            }
            try { passiveListener?.Dispose(); } catch (Exception) { }
        }

        private bool IsAborted => Volatile.Read(ref aborted) != 0;

        private async Task<bool> DispatchAsync(string verb, string argument)
        {
            switch (verb)
            {
                case "USER": return await UserAsync(argument).ConfigureAwait(false);
                case "PASS": return await PassAsync(argument).ConfigureAwait(false);
                case "QUIT": await ReplyAsync(221, "Goodbye.").ConfigureAwait(false); return false;
                case "NOOP": return await ReplyAsync(200, "NOOP command successful.").ConfigureAwait(false);
                case "SYST": return await ReplyAsync(215, Options.SystemType).ConfigureAwait(false);
                case "FEAT": return await ReplyAsync(211, "Features:\n EPRT\n EPSV\n MDTM\n PASV\n SIZE\n UTF8\nEnd").ConfigureAwait(false);
                case "AUTH":
                case "PBSZ":
                case "PROT":
                case "CCC":
                    return await ReplyAsync(502, "TLS is not supported.").ConfigureAwait(false);
                case "OPTS":
                    string option = argument.ToUpperInvariant();
                    return option == "UTF8 ON" || option == "UTF-8 ON"
                        ? await ReplyAsync(200, "UTF8 mode enabled.").ConfigureAwait(false)
                        : await ReplyAsync(501, "Option not supported.").ConfigureAwait(false);
            }

            if (user == null) return await ReplyAsync(530, "Please login with USER and PASS.").ConfigureAwait(false);

            switch (verb)
            {
                case "PWD":
                case "XPWD": return await ReplyAsync(257, "\"/\" is the current directory.").ConfigureAwait(false);
                case "CWD":
                case "XCWD":
                    return argument == "/" || argument == "." || argument == "" || argument == "~"
                        ? await ReplyAsync(250, "Directory changed to /.").ConfigureAwait(false)
                        : await ReplyAsync(550, argument + ": No such directory.").ConfigureAwait(false);
                case "CDUP":
                case "XCUP": return await ReplyAsync(250, "Directory changed to /.").ConfigureAwait(false);
                case "TYPE":
                    string type = argument.ToUpperInvariant();
                    return type == "I" || type == "A" || type == "A N" || type == "L 8"
                        ? await ReplyAsync(200, "Type set to " + type + ".").ConfigureAwait(false)
                        : await ReplyAsync(504, "Type not supported.").ConfigureAwait(false);
                case "MODE":
                    return argument.ToUpperInvariant() == "S"
                        ? await ReplyAsync(200, "Mode set to S.").ConfigureAwait(false)
                        : await ReplyAsync(504, "Only stream mode is supported.").ConfigureAwait(false);
                case "STRU":
                    return argument.ToUpperInvariant() == "F"
                        ? await ReplyAsync(200, "Structure set to F.").ConfigureAwait(false)
                        : await ReplyAsync(504, "Only file structure is supported.").ConfigureAwait(false);
                case "ALLO": return await ReplyAsync(202, "No storage allocation necessary.").ConfigureAwait(false);
                case "REST":
                    return argument == "0"
                        ? await ReplyAsync(350, "Restarting at 0.").ConfigureAwait(false)
                        : await ReplyAsync(504, "Resuming transfers is not supported.").ConfigureAwait(false);
                case "ABOR": return await ReplyAsync(225, "No transfer to abort.").ConfigureAwait(false);
                case "SIZE": return await SizeOrMdtmAsync(argument, size: true).ConfigureAwait(false);
                case "MDTM": return await SizeOrMdtmAsync(argument, size: false).ConfigureAwait(false);
                case "PASV": return await PasvAsync(extended: false, argument).ConfigureAwait(false);
                case "EPSV": return await PasvAsync(extended: true, argument).ConfigureAwait(false);
                case "PORT": return await PortAsync(extended: false, argument).ConfigureAwait(false);
                case "EPRT": return await PortAsync(extended: true, argument).ConfigureAwait(false);
                case "RETR":
                case "STOR":
                case "LIST":
                case "NLST":
                    return await TransferAsync(verb, argument).ConfigureAwait(false);
                case "DELE":
                case "MKD":
                case "XMKD":
                case "RMD":
                case "XRMD":
                case "RNFR":
                case "RNTO":
                case "APPE":
                case "STOU":
                case "SITE":
                    return await ReplyAsync(502, "Command not implemented.").ConfigureAwait(false);
                default:
                    return await ReplyAsync(500, "Unknown command.").ConfigureAwait(false);
            }
        }

        private async Task<bool> UserAsync(string argument)
        {
            if (argument.Length == 0) return await ReplyAsync(501, "USER needs a user name.").ConfigureAwait(false);
            if (user != null)
            {
                user = null;
                server.OnLoggedOut();
            }
            pendingUser = argument;
            return await ReplyAsync(331, "Password required for " + argument + ".").ConfigureAwait(false);
        }

        private async Task<bool> PassAsync(string password)
        {
            if (pendingUser == null) return await ReplyAsync(503, "Login with USER first.").ConfigureAwait(false);
            string name = pendingUser;
            pendingUser = null;
            var request = new FtpLoginRequest(name, password, RemoteEndPoint, server.LoggedInSessionCount);
            FtpLoginDecision decision;
            try
            {
                decision = await server.Authenticate(request, token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                Logger.LogWarning("FTP authentication callback failed for {User}: {Message}", name, ex.Message);
                decision = FtpLoginDecision.Reject("Login incorrect.");
            }

            if (decision.IsAccepted)
            {
                user = new FtpSessionInfo(name, decision.Permission, RemoteEndPoint);
                server.OnLoggedIn();
                Logger.LogInformation("FTP user {User} logged in from {Remote} ({Permission})", name, RemoteEndPoint, decision.Permission);
            }
            await ReplyAsync(decision.ReplyCode, decision.Message).ConfigureAwait(false);
            return !decision.CloseConnection;
        }

        private async Task<bool> SizeOrMdtmAsync(string argument, bool size)
        {
            if (!TryNormalizeName(argument, out string name)) return await ReplyAsync(501, "Bad file name.").ConfigureAwait(false);
            FtpFileEntry? entry;
            try { entry = server.FileSystem.Find(name, user!); }
            catch (FtpCommandRefusedException refused) { return await ReplyAsync(refused.ReplyCode, refused.Message).ConfigureAwait(false); }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                Logger.LogWarning("FTP file system failed on {Name}: {Message}", name, ex.Message);
                return await ReplyAsync(451, "Local error in processing.").ConfigureAwait(false);
            }
            if (entry == null) return await ReplyAsync(550, name + ": No such file.").ConfigureAwait(false);
            return await ReplyAsync(213, size
                ? entry.Size.ToString(CultureInfo.InvariantCulture)
                : entry.LastModifiedUtc.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)).ConfigureAwait(false);
        }

        private async Task<bool> ReplyAsync(int code, string text)
        {
            TimeSpan delay = server.Faults.ReplyDelay;
            if (delay > TimeSpan.Zero) await Task.Delay(delay, token).ConfigureAwait(false);

            string[] parts = text.Replace("\r", "").Split('\n');
            var reply = new StringBuilder();
            string codeText = code.ToString(CultureInfo.InvariantCulture);
            for (int i = 0; i < parts.Length; i++)
            {
                bool last = i == parts.Length - 1;
                if (i == 0) reply.Append(codeText).Append(last ? ' ' : '-').Append(parts[i]);
                else if (last) reply.Append(codeText).Append(' ').Append(parts[i]);
                else reply.Append(parts[i].StartsWith(" ", StringComparison.Ordinal) ? "" : " ").Append(parts[i]);  // a leading space keeps middle lines from looking like an end line
                reply.Append("\r\n");
            }
            byte[] bytes = Utf8.GetBytes(reply.ToString());
            await StepDeadline.RunAsync(t => stream.WriteAsync(bytes, 0, bytes.Length, t), Options.DataTimeout, stream, token).ConfigureAwait(false);
            return true;
        }

        private void Track(IDisposable resource)
        {
            lock (openResources)
            {
                if (IsAborted) resource.Dispose();
                else openResources.Add(resource);
            }
        }

        private void Untrack(IDisposable resource)
        {
            lock (openResources) openResources.Remove(resource);
        }

        /// <summary>Root-relative name without leading '/', no "..", no empty segments, no control characters.</summary>
        internal static bool TryNormalizeName(string argument, out string name)
        {
            name = argument.Trim();
            while (name.StartsWith("/", StringComparison.Ordinal) || name.StartsWith("./", StringComparison.Ordinal))
                name = name.Substring(name[0] == '/' ? 1 : 2);
            if (name.Length == 0 || name.EndsWith("/", StringComparison.Ordinal)) return false;
            foreach (char c in name) if (c < 0x20 || c == 0x7f) return false;
            foreach (string segment in name.Split('/'))
                if (segment.Length == 0 || segment == "." || segment == "..") return false;
            return true;
        }

        private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }
}
