using System;
using System.Globalization;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RemoteIt
{
    /// <summary>
    /// Gets the native library ready before the first real call: points
    /// <c>DllImport("remoteit")</c> at the file named by <c>REMOTEIT_LIBRARY</c> when that is set,
    /// then checks that the library's version has the major.minor this binding was written for.
    /// The static constructors of the public classes call <see cref="EnsureLoaded"/>.
    /// </summary>
    /// <remarks>
    /// Mono binds a P/Invoke when it compiles the method that calls it, which for a static
    /// method is before that class's static constructor has run. So a method that calls
    /// <see cref="NativeMethods"/> must not be one that can run first: public static members
    /// hand the native work to a <c>NoInlining</c> helper, like <see cref="ReadVersion"/> here.
    /// </remarks>
    internal static class Loader
    {
        /// <summary>The environment variable that names the exact library file to load.</summary>
        internal const string PathVariable = "REMOTEIT_LIBRARY";

        /// <summary>The major version of the library this binding was written for.</summary>
        internal const int Major = 0;

        /// <summary>The minor version of the library this binding was written for.</summary>
        internal const int Minor = 2;

        private static readonly object Gate = new object();
        private static bool pathConfigured;
        private static string version;

        /// <summary>The loaded library's version (<c>remoteit_version</c>).</summary>
        internal static string Version
        {
            get
            {
                EnsureLoaded();
                return version;
            }
        }

        /// <summary>
        /// Loads and checks the library once; later calls return at once.
        /// </summary>
        /// <exception cref="DllNotFoundException">The library cannot be found or loaded.</exception>
        /// <exception cref="NotSupportedException">The library's version does not match.</exception>
        internal static void EnsureLoaded()
        {
            lock (Gate)
            {
                if (version != null)
                {
                    return;
                }
                if (!pathConfigured)
                {
                    string path = Environment.GetEnvironmentVariable(PathVariable);
                    if (!string.IsNullOrEmpty(path))
                    {
                        UseFile(Path.GetFullPath(path));
                    }
                    pathConfigured = true;
                }
                version = ReadVersion();
            }
        }

        /// <summary>
        /// Whether a <c>remoteit_version()</c> string such as <c>0.1.0</c> has the
        /// major.minor this binding was written for.
        /// </summary>
        internal static bool IsCompatible(string libraryVersion)
        {
            string[] parts = (libraryVersion ?? string.Empty).Split('.');
            int major, minor;
            return parts.Length >= 3
                && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out major)
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out minor)
                && major == Major
                && minor == Minor;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static string ReadVersion()
        {
            string found;
            try
            {
                found = Utf8.FromNative(NativeMethods.remoteit_version());
            }
            catch (DllNotFoundException e)
            {
                throw new DllNotFoundException(NotFoundMessage(e), e);
            }
            catch (EntryPointNotFoundException e)
            {
                throw new EntryPointNotFoundException(
                    "The library loaded as \"remoteit\" has no remoteit_version function: it is not libremoteit.", e);
            }
            if (!IsCompatible(found))
            {
                throw new NotSupportedException(string.Format(
                    CultureInfo.InvariantCulture,
                    "The native libremoteit is version {0}, but this binding was written for {1}.{2}.x: use a matching libremoteit (or binding).",
                    found, Major, Minor));
            }
            return found;
        }

        private static string NotFoundMessage(DllNotFoundException e)
        {
            string path = Environment.GetEnvironmentVariable(PathVariable);
            if (!string.IsNullOrEmpty(path))
            {
                return string.Format(
                    CultureInfo.InvariantCulture,
                    "{0} names \"{1}\", which could not be loaded as libremoteit: {2}",
                    PathVariable, path, e.Message);
            }
            return "The native library libremoteit could not be found (DllImport \"remoteit\": libremoteit.so, "
                + "libremoteit.dylib or remoteit.dll). Put it next to the application (or under runtimes/<rid>/native "
                + "in a package), add its folder to LD_LIBRARY_PATH (Linux), DYLD_LIBRARY_PATH (macOS) or PATH "
                + "(Windows), or set " + PathVariable + " to the file's full path.";
        }

        private static void UseFile(string path)
        {
            if (!File.Exists(path))
            {
                throw new DllNotFoundException(string.Format(
                    CultureInfo.InvariantCulture, "{0} names \"{1}\", but there is no such file.", PathVariable, path));
            }
#if NET
            IntPtr library;
            try
            {
                library = NativeLibrary.Load(path);
            }
            catch (BadImageFormatException e)
            {
                throw new DllNotFoundException(LoadFailedMessage(path, e.Message), e);
            }
            catch (DllNotFoundException e)
            {
                throw new DllNotFoundException(LoadFailedMessage(path, e.Message), e);
            }
            NativeLibrary.SetDllImportResolver(
                typeof(Loader).Assembly,
                (name, assembly, searchPath) => name == NativeMethods.LibraryName ? library : IntPtr.Zero);
#else
            if (Type.GetType("Mono.Runtime") != null)
            {
                MapOnMono(path);
            }
            else if (Environment.OSVersion.Platform == PlatformID.Win32NT)
            {
                PreloadOnWindows(path);
            }
            else
            {
                throw new PlatformNotSupportedException(PathVariable
                    + " needs .NET 8 or later (this package's net8.0 build), Mono, or Windows; "
                    + "on this runtime put the library's folder on LD_LIBRARY_PATH or DYLD_LIBRARY_PATH instead.");
            }
#endif
        }

#if NET
        private static string LoadFailedMessage(string path, string why)
        {
            return string.Format(
                CultureInfo.InvariantCulture, "{0} names \"{1}\", which could not be loaded: {2}", PathVariable, path, why);
        }
#else
        /// <summary>
        /// Mono looks for "remoteit" as libremoteit.so, remoteit and libremoteit in the
        /// assembly's folder and then on the loader path: never under the versioned name
        /// (libremoteit.so.0) by which an already loaded copy is known, so loading the file
        /// first does not help. Mono's public embedding API can point the name at the file.
        /// </summary>
        private static void MapOnMono(string path)
        {
            try
            {
                mono_dllmap_insert(
                    IntPtr.Zero,
                    Utf8.ToNative(NativeMethods.LibraryName, "dll"),
                    null,
                    Utf8.ToNative(path, PathVariable),
                    null);
            }
            catch (EntryPointNotFoundException e)
            {
                throw new PlatformNotSupportedException(
                    "This Mono does not export mono_dllmap_insert, which " + PathVariable
                    + " needs: put the library's folder on LD_LIBRARY_PATH or DYLD_LIBRARY_PATH instead.", e);
            }
        }

        /// <summary>
        /// Windows reuses a loaded module for a later LoadLibrary of the same file name,
        /// wherever it was loaded from, so loading the file first is enough.
        /// </summary>
        private static void PreloadOnWindows(string path)
        {
            if (!string.Equals(Path.GetFileName(path), NativeMethods.LibraryName + ".dll", StringComparison.OrdinalIgnoreCase))
            {
                throw new NotSupportedException(string.Format(
                    CultureInfo.InvariantCulture,
                    "On .NET Framework, {0} must name a file called {1}.dll, not \"{2}\".",
                    PathVariable, NativeMethods.LibraryName, path));
            }
            if (LoadLibraryW(path) == IntPtr.Zero)
            {
                throw new DllNotFoundException(string.Format(
                    CultureInfo.InvariantCulture,
                    "{0} names \"{1}\", which could not be loaded (Windows error {2}).",
                    PathVariable, path, Marshal.GetLastWin32Error()));
            }
        }

        [DllImport("__Internal", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        private static extern void mono_dllmap_insert(IntPtr assembly, byte[] dll, byte[] func, byte[] tdll, byte[] tfunc);

        [DllImport("kernel32", CharSet = CharSet.Unicode, ExactSpelling = true, SetLastError = true)]
        private static extern IntPtr LoadLibraryW(string fileName);
#endif
    }
}
