using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace SecureNmc.Core.Storage
{
    /// <summary>
    /// chmod for netstandard2.0: uses File.SetUnixFileMode (.NET 7+) by reflection when the runtime
    /// has it (PowerShell 7.4+), else libc chmod. No-op on Windows, where the per-user profile ACL
    /// and DPAPI protect the data folder.
    /// </summary>
    public static class UnixFilePermissions
    {
        /// <summary>rw------- (0600).</summary>
        public const int OwnerReadWrite = 0x180;
        /// <summary>rwx------ (0700).</summary>
        public const int OwnerAll = 0x1C0;

        private static readonly MethodInfo? SetModeMethod = FindFileMethod("SetUnixFileMode", typeof(string), UnixFileModeType);
        private static readonly MethodInfo? GetModeMethod = FindFileMethod("GetUnixFileMode", typeof(string));
        private static Type? UnixFileModeType => Type.GetType("System.IO.UnixFileMode, System.Runtime", throwOnError: false)
            ?? typeof(File).Assembly.GetType("System.IO.UnixFileMode", throwOnError: false);

        public static bool IsUnix => !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>Sets 0600 on a file or 0700 on a folder; throws if that fails on Unix.</summary>
        public static void SetOwnerOnly(string path, bool isDirectory) => SetMode(path, isDirectory ? OwnerAll : OwnerReadWrite);

        /// <summary>As <see cref="SetOwnerOnly"/> but ignores failure (a folder the user does not own, e.g. /tmp).</summary>
        public static bool TrySetOwnerOnly(string path, bool isDirectory)
        {
            try { SetOwnerOnly(path, isDirectory); return true; }
            catch (Exception) { return false; }
        }

        public static void SetMode(string path, int mode)
        {
            if (!IsUnix) return;
            if (SetModeMethod != null)
            {
                var modeValue = Enum.ToObject(SetModeMethod.GetParameters()[1].ParameterType, mode);
                try { SetModeMethod.Invoke(null, new object[] { path, modeValue }); }
                catch (TargetInvocationException e) when (e.InnerException != null) { throw e.InnerException; }
                return;
            }
            if (NativeMethods.chmod(path, (uint)mode) != 0)
            {
                int errno = Marshal.GetLastWin32Error();
                throw new IOException($"Could not restrict the permissions of '{path}' to its owner (chmod failed, errno {errno}).");
            }
        }

        /// <summary>
        /// Creates a new file (fails if it exists) that is owner-only from the first instant: mode 0600
        /// is given to the create call itself (FileStreamOptions.UnixCreateMode on .NET 7+, else libc
        /// open(O_CREAT|O_EXCL, 0600)), not applied afterwards. On Windows, a plain CreateNew.
        /// </summary>
        public static FileStream CreateOwnerOnlyFile(string path, int bufferSize = 4096)
        {
            if (!IsUnix) return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize);
            var viaOptions = TryCreateWithFileStreamOptions(path, bufferSize);
            if (viaOptions != null) return viaOptions;
            return CreateWithLibcOpen(path, bufferSize);
        }

        private static readonly Type? FileStreamOptionsType = typeof(FileStream).Assembly.GetType("System.IO.FileStreamOptions", throwOnError: false);
        private static readonly ConstructorInfo? FileStreamWithOptions =
            FileStreamOptionsType == null ? null : typeof(FileStream).GetConstructor(new[] { typeof(string), FileStreamOptionsType });

        private static FileStream? TryCreateWithFileStreamOptions(string path, int bufferSize)
        {
            if (FileStreamOptionsType == null || FileStreamWithOptions == null || UnixFileModeType == null) return null;
            var createMode = FileStreamOptionsType.GetProperty("UnixCreateMode");
            if (createMode == null) return null;
            var options = Activator.CreateInstance(FileStreamOptionsType)!;
            FileStreamOptionsType.GetProperty("Mode")!.SetValue(options, FileMode.CreateNew);
            FileStreamOptionsType.GetProperty("Access")!.SetValue(options, FileAccess.Write);
            FileStreamOptionsType.GetProperty("Share")!.SetValue(options, FileShare.None);
            FileStreamOptionsType.GetProperty("BufferSize")!.SetValue(options, bufferSize);
            // UnixCreateMode is a Nullable<UnixFileMode>: a boxed enum value converts to it.
            createMode.SetValue(options, Enum.ToObject(UnixFileModeType, OwnerReadWrite));
            try { return (FileStream)FileStreamWithOptions.Invoke(new[] { path, options }); }
            catch (TargetInvocationException e) when (e.InnerException != null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }
        }

        internal static FileStream CreateWithLibcOpen(string path, int bufferSize)
        {
            bool mac = RuntimeInformation.IsOSPlatform(OSPlatform.OSX);
            // O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC: the values differ between Linux and the BSDs.
            int flags = mac ? (0x1 | 0x200 | 0x800 | 0x1000000) : (0x1 | 0x40 | 0x80 | 0x80000);
            int fd = NativeMethods.open(path, flags, (uint)OwnerReadWrite);
            if (fd < 0)
            {
                int errno = Marshal.GetLastWin32Error();
                bool exists = errno == 17; // EEXIST on Linux and macOS
                throw new IOException(exists ? $"The file '{path}' already exists." : $"Could not create '{path}' (open failed, errno {errno}).");
            }
            var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(new IntPtr(fd), ownsHandle: true);
            return new FileStream(handle, FileAccess.Write, bufferSize);
        }

        /// <summary>The permission bits of a file (e.g. 0x180 for 0600), or null when the runtime cannot tell (Windows, or .NET older than 7).</summary>
        /// <summary>
        /// Restricts an existing folder to its owner (0700) when group or others have any access, so
        /// files created inside it with the default umask are not readable by other users. Returns
        /// whether it changed the mode.
        /// </summary>
        public static bool TightenFolder(string path)
        {
            if (!IsUnix || !Directory.Exists(path)) return false;
            var mode = TryGetMode(path);
            if (mode == null || (mode.Value & 0x3F) == 0) return false;
            return TrySetOwnerOnly(path, isDirectory: true);
        }

        public static int? TryGetMode(string path)
        {
            if (!IsUnix || GetModeMethod == null) return null;
            try { return Convert.ToInt32(GetModeMethod.Invoke(null, new object[] { path })); }
            catch (TargetInvocationException) { return null; }
        }

        private static MethodInfo? FindFileMethod(string name, params Type?[] parameterTypes)
        {
            if (Array.Exists(parameterTypes, t => t == null)) return null;
            return typeof(File).GetMethod(name, BindingFlags.Public | BindingFlags.Static, null, parameterTypes!, null);
        }

        private static class NativeMethods
        {
            [DllImport("libc", SetLastError = true)]
            public static extern int chmod([MarshalAs(UnmanagedType.LPStr)] string path, uint mode);

            [DllImport("libc", SetLastError = true)]
            public static extern int open([MarshalAs(UnmanagedType.LPStr)] string path, int flags, uint mode);
        }
    }
}
