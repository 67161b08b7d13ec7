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
    /// <summary>RETR, STOR, LIST and NLST over an open data connection.</summary>
    internal sealed partial class FtpServerSession
    {
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
    }
}
