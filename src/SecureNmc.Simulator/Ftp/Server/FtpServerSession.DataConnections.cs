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
    /// <summary>Data endpoints: PASV/EPSV listeners, PORT/EPRT targets, opening the data connection.</summary>
    internal sealed partial class FtpServerSession
    {
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
    }
}
