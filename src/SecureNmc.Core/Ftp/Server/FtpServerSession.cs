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

namespace SecureNmc.Core.Ftp.Server
{
    /// <summary>One control connection of <see cref="FtpServer"/>: reads commands one at a time and answers them.</summary>
    internal sealed class FtpServerSession
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

        private async Task<bool> PasvAsync(bool extended, string argument)
        {
            if (!extended && epsvAll) return await ReplyAsync(503, "PASV not allowed after EPSV ALL.").ConfigureAwait(false);
            if (extended && argument.Equals("ALL", StringComparison.OrdinalIgnoreCase))
            {
                epsvAll = true;
                return await ReplyAsync(200, "EPSV ALL ok.").ConfigureAwait(false);
            }
            bool v6 = LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6 && !LocalEndPoint.Address.IsIPv4MappedToIPv6;
            if (extended && argument.Length > 0 && argument != (v6 ? "2" : "1"))
                return await ReplyAsync(522, "Network protocol not supported, use (" + (v6 ? "2" : "1") + ").").ConfigureAwait(false);
            if (!extended && v6) return await ReplyAsync(425, "PASV cannot name an IPv6 address; use EPSV.").ConfigureAwait(false);

            ClearDataEndpoint();
            Socket listener;
            try { listener = OpenPassiveListener(); }
            catch (SocketException) { return await ReplyAsync(425, "Can't open passive connection.").ConfigureAwait(false); }
            passiveListener = listener;
            int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
            return extended
                ? await ReplyAsync(229, FtpEndpointSyntax.FormatEpsvReplyText(port)).ConfigureAwait(false)
                : await ReplyAsync(227, "Entering Passive Mode (" + FtpEndpointSyntax.FormatSixNumbers(new IPEndPoint(LocalEndPoint.Address, port)) + ").").ConfigureAwait(false);
        }

        private Socket OpenPassiveListener()
        {
            IPAddress address = LocalEndPoint.Address;
            int min = Options.PassivePortMin, max = Options.PassivePortMax;
            bool ranged = min > 0 && max >= min;
            int attempts = ranged ? Math.Min(max - min + 1, 100) : 1;
            int first = ranged ? min + new Random().Next(max - min + 1) : 0;
            SocketException? last = null;
            for (int i = 0; i < attempts; i++)
            {
                int port = ranged ? min + (first - min + i) % (max - min + 1) : 0;
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(address, port));
                    socket.Listen(1);
                    return socket;
                }
                catch (SocketException ex)
                {
                    socket.Dispose();
                    last = ex;
                }
            }
            throw last ?? new SocketException((int)SocketError.AddressAlreadyInUse);
        }

        private async Task<bool> PortAsync(bool extended, string argument)
        {
            if (epsvAll) return await ReplyAsync(503, (extended ? "EPRT" : "PORT") + " not allowed after EPSV ALL.").ConfigureAwait(false);
            IPEndPoint? target;
            bool parsed = extended ? FtpEndpointSyntax.TryParseEprtArgument(argument, out target) : FtpEndpointSyntax.TryParsePortArgument(argument, out target);
            if (!parsed)
                return extended && argument.Length > 2 && argument.Substring(1).StartsWith("3", StringComparison.Ordinal)
                    ? await ReplyAsync(522, "Network protocol not supported, use (1,2).").ConfigureAwait(false)
                    : await ReplyAsync(501, "Illegal " + (extended ? "EPRT" : "PORT") + " command.").ConfigureAwait(false);
            // Data may only go back to the client itself: no FTP bounce to third parties.
            if (!Normalize(target!.Address).Equals(Normalize(RemoteEndPoint.Address)))
                return await ReplyAsync(501, "Data connections go only to the client's own address.").ConfigureAwait(false);
            ClearDataEndpoint();
            activeTarget = target;
            return await ReplyAsync(200, (extended ? "EPRT" : "PORT") + " command successful.").ConfigureAwait(false);
        }

        private async Task<bool> TransferAsync(string verb, string argument)
        {
            if (passiveListener == null && activeTarget == null)
                return await ReplyAsync(425, "Use PORT, EPRT, PASV or EPSV first.").ConfigureAwait(false);

            string name = "";
            Stream? source = null;
            if (verb == "RETR" || verb == "STOR")
            {
                if (!TryNormalizeName(argument, out name))
                {
                    ClearDataEndpoint();
                    return await ReplyAsync(553, "File name not allowed.").ConfigureAwait(false);
                }
            }

            try
            {
                if (verb == "RETR")
                {
                    source = server.FileSystem.OpenRead(name, user!);
                    if (source == null)
                    {
                        ClearDataEndpoint();
                        return await ReplyAsync(550, name + ": No such file.").ConfigureAwait(false);
                    }
                }
                else if (verb == "STOR" && user!.Permission != FtpPermission.ReadWrite)
                {
                    ClearDataEndpoint();
                    Logger.LogInformation("FTP user {User} may not upload {Name}: read-only", user.UserName, name);
                    return await ReplyAsync(550, Options.ReadOnlyUploadRefusal).ConfigureAwait(false);
                }
                else if (verb == "STOR" && server.FileSystem is IFtpUploadPrecheck precheck && precheck.CheckUpload(name, user!) is FtpUploadResult early && !early.IsAccepted)
                {
                    ClearDataEndpoint();
                    return await ReplyAsync(early.ReplyCode, early.Message).ConfigureAwait(false);
                }
                else if (verb == "LIST" || verb == "NLST")
                {
                    source = new MemoryStream(BuildListing(verb, argument));
                }
            }
            catch (FtpCommandRefusedException refused)
            {
                ClearDataEndpoint();
                return await ReplyAsync(refused.ReplyCode, refused.Message).ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                // A failing file system must cost one command, never the session or the server.
                Logger.LogWarning("FTP file system failed on {Verb} {Name}: {Message}", verb, name, ex.Message);
                ClearDataEndpoint();
                return await ReplyAsync(451, "Local error in processing.").ConfigureAwait(false);
            }

            using (source)
            {
                await ReplyAsync(150, Options.OpeningDataConnectionText).ConfigureAwait(false);
                if (server.Faults.NeverOpenDataConnection)
                {
                    // Keep the passive port open but never use it: the client sees 150 and then silence.
                    StrandDataEndpoint();
                    return true;
                }

                Socket? data = await OpenDataSocketAsync().ConfigureAwait(false);
                if (data == null) return await ReplyAsync(425, "Can't open data connection.").ConfigureAwait(false);
                Track(data);
                try
                {
                    using (var dataStream = new NetworkStream(data, ownsSocket: true))
                    {
                        FtpUploadResult result;
                        if (verb == "STOR")
                        {
                            result = await ReceiveAsync(name, dataStream).ConfigureAwait(false);
                        }
                        else
                        {
                            await SendAsync(source!, dataStream).ConfigureAwait(false);
                            result = FtpUploadResult.Accept();
                        }
                        if (IsAborted) return false;
                        try { data.Shutdown(SocketShutdown.Both); } catch (SocketException) { }
                        dataStream.Dispose();
                        return await ReplyAsync(result.ReplyCode, result.Message).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (ex is IOException || ex is SocketException || ex is ObjectDisposedException || ex is StepTimeoutException)
                {
                    if (IsAborted) return false;
                    Logger.LogDebug("FTP {Verb} {Name} data connection failed: {Message}", verb, name, ex.Message);
                    return await ReplyAsync(426, "Connection closed; transfer aborted.").ConfigureAwait(false);
                }
                finally
                {
                    Untrack(data);
                }
            }
        }

        private async Task SendAsync(Stream source, NetworkStream destination)
        {
            var buffer = new byte[FtpLimits.DataChunkSize];
            long sent = 0;
            while (true)
            {
                int read = await source.ReadAsync(buffer, 0, buffer.Length, token).ConfigureAwait(false);
                if (read == 0) return;
                long dropAt = server.Faults.DropConnectionAfterBytes;
                if (dropAt >= 0 && sent + read >= dropAt)
                {
                    int part = (int)Math.Max(0, dropAt - sent);
                    if (part > 0) await StepDeadline.RunAsync(t => destination.WriteAsync(buffer, 0, part, t), Options.DataTimeout, destination, token).ConfigureAwait(false);
                    Logger.LogInformation("FTP fault: dropping {Remote} after {Bytes} bytes", RemoteEndPoint, sent + part);
                    Abort();
                    return;
                }
                await StepDeadline.RunAsync(t => destination.WriteAsync(buffer, 0, read, t), Options.DataTimeout, destination, token).ConfigureAwait(false);
                sent += read;
            }
        }

        private async Task<FtpUploadResult> ReceiveAsync(string name, NetworkStream dataStream)
        {
            var content = new FtpUploadStream(dataStream, Options.DataTimeout, token, server.Faults, Abort);
            FtpUploadResult result;
            try
            {
                result = await server.FileSystem.ReceiveUploadAsync(name, content, user!, token).ConfigureAwait(false);
            }
            catch (FtpCommandRefusedException refused)
            {
                result = FtpUploadResult.Reject(refused.Message, refused.ReplyCode);
            }
            catch (Exception ex) when (!IsAborted && !(ex is IOException) && !(ex is StepTimeoutException) && !(ex is OperationCanceledException))
            {
                Logger.LogWarning("FTP upload handler failed for {Name}: {Message}", name, ex.Message);
                result = FtpUploadResult.Reject("Local error in processing.", 451);
            }
            if (IsAborted) return result;
            await content.DrainAsync().ConfigureAwait(false);  // the client may only finish once we read everything
            return result;
        }

        private async Task<Socket?> OpenDataSocketAsync()
        {
            try
            {
                if (passiveListener != null)
                {
                    Socket listener = passiveListener;
                    passiveListener = null;
                    Track(listener);
                    try
                    {
                        DateTime deadline = DateTime.UtcNow + Options.DataTimeout;
                        while (true)
                        {
                            TimeSpan left = deadline - DateTime.UtcNow;
                            if (left <= TimeSpan.Zero) return null;
                            Socket candidate = await StepDeadline.RunAsync(_ => listener.AcceptAsync(), left, listener, token).ConfigureAwait(false);
                            if (Normalize(((IPEndPoint)candidate.RemoteEndPoint!).Address).Equals(Normalize(RemoteEndPoint.Address)))
                                return candidate;
                            candidate.Dispose();  // only the client that asked may connect
                        }
                    }
                    finally
                    {
                        Untrack(listener);
                        listener.Dispose();
                    }
                }

                IPEndPoint target = activeTarget!;
                activeTarget = null;
                var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                Track(socket);
                try
                {
                    if (target.AddressFamily == LocalEndPoint.AddressFamily) socket.Bind(new IPEndPoint(LocalEndPoint.Address, 0));
                    await StepDeadline.RunAsync(_ => socket.ConnectAsync(target), Options.DataTimeout, socket, token).ConfigureAwait(false);
                    return socket;
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
                finally
                {
                    Untrack(socket);
                }
            }
            catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException || ex is StepTimeoutException)
            {
                return null;
            }
        }

        private byte[] BuildListing(string verb, string argument)
        {
            // Options such as "-a" or "-l" are common (lftp, curl) and harmless: list the root.
            string target = argument.StartsWith("-", StringComparison.Ordinal) ? "" : argument;
            IReadOnlyList<FtpFileEntry> entries;
            if (target == "" || target == "/" || target == "." || target == "*")
            {
                entries = server.FileSystem.ListRoot(user!);
            }
            else
            {
                if (!TryNormalizeName(target, out string name)) throw new FtpCommandRefusedException(550, target + ": No such file or directory.");
                FtpFileEntry? one = server.FileSystem.Find(name, user!);
                if (one == null) throw new FtpCommandRefusedException(550, target + ": No such file or directory.");
                entries = new[] { one };
            }

            var text = new StringBuilder();
            foreach (var entry in entries)
            {
                if (verb == "NLST")
                {
                    text.Append(entry.Name).Append("\r\n");
                    continue;
                }
                DateTime when = entry.LastModifiedUtc;
                string date = (DateTime.UtcNow - when).TotalDays > 180
                    ? when.ToString("MMM dd  yyyy", CultureInfo.InvariantCulture)
                    : when.ToString("MMM dd HH:mm", CultureInfo.InvariantCulture);
                text.Append("-rw-r--r--   1 nmc      nmc      ")
                    .Append(entry.Size.ToString(CultureInfo.InvariantCulture).PadLeft(12)).Append(' ')
                    .Append(date).Append(' ').Append(entry.Name).Append("\r\n");
            }
            return Utf8.GetBytes(text.ToString());
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

        private void ClearDataEndpoint()
        {
            try { passiveListener?.Dispose(); } catch (Exception) { }
            passiveListener = null;
            activeTarget = null;
        }

        /// <summary>For the never-open fault: the passive port stays bound (so the client's connect lands) until the session ends.</summary>
        private void StrandDataEndpoint()
        {
            if (passiveListener != null) Track(passiveListener);
            passiveListener = null;
            activeTarget = null;
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
