{
  # One static library per ISA, each compiled with its own flags, plus the
  # ISA-neutral core. Nothing is tuned to the build machine (no host-CPU -march): the addon runs on every
  # CPU of its architecture and picks kernels at run time (native/dispatch).
  'variables': {
    'axonal_version': '<!(node scripts/gyp.cjs version)',
  },
  'target_defaults': {
    'include_dirs': ['native/include', 'native'],
    'defines': ['AXONAL_VERSION="<(axonal_version)"'],
    'cflags!': ['-fno-exceptions'],
    'cflags_cc!': ['-fno-exceptions', '-std=gnu++17', '-std=gnu++20'],
    'cflags': ['-O3', '-fPIC', '-fno-exceptions', '-fvisibility=hidden', '-Wall', '-Wextra', '-Wno-unused-parameter'],
    'cflags_cc': ['-std=c++17', '-fno-exceptions'],
    'xcode_settings': {
      'CLANG_CXX_LANGUAGE_STANDARD': 'c++17',
      'GCC_ENABLE_CPP_EXCEPTIONS': 'NO',
      'GCC_SYMBOLS_PRIVATE_EXTERN': 'YES',
      'OTHER_CFLAGS': ['-O3'],
    },
    'conditions': [
      ['target_arch=="x64"', {'defines': ['AXONAL_HAVE_X86_KERNELS']}],
      ['target_arch=="arm64"', {'defines': ['AXONAL_HAVE_NEON_KERNELS']}],
    ],
  },
  'targets': [
    {
      'target_name': 'axonal_core',
      'type': 'static_library',
      'sources': ['<!@(node scripts/gyp.cjs sources native/core native/dispatch native/threadpool)'],
    },
    {
      'target_name': 'axonal_kernels_scalar',
      'type': 'static_library',
      'sources': ['<!@(node scripts/gyp.cjs sources native/kernels/scalar)'],
    },
    {
      'target_name': 'axonal',
      'dependencies': ['axonal_core', 'axonal_kernels_scalar'],
      'sources': ['<!@(node scripts/gyp.cjs sources native/binding)'],
      'include_dirs': ["<!(node -p \"require('node-addon-api').include_dir\")"],
      'defines': ['NAPI_VERSION=8', 'NAPI_DISABLE_CPP_EXCEPTIONS'],
      'conditions': [
        ['target_arch=="x64"', {'dependencies': ['axonal_kernels_avx2', 'axonal_kernels_avx512']}],
        ['target_arch=="arm64"', {'dependencies': ['axonal_kernels_neon']}],
      ],
    },
  ],
  'conditions': [
    ['target_arch=="x64"', {
      'targets': [
        {
          'target_name': 'axonal_kernels_avx2',
          'type': 'static_library',
          'sources': ['<!@(node scripts/gyp.cjs sources native/kernels/x86_avx2)'],
          'cflags': ['-mavx2', '-mfma', '-mf16c'],
          'xcode_settings': {'OTHER_CFLAGS': ['-O3', '-mavx2', '-mfma', '-mf16c']},
        },
        {
          'target_name': 'axonal_kernels_avx512',
          'type': 'static_library',
          'sources': ['<!@(node scripts/gyp.cjs sources native/kernels/x86_avx512)'],
          'cflags': ['-mavx2', '-mfma', '-mf16c', '-mavx512f', '-mavx512bw', '-mavx512dq', '-mavx512vl'],
          'xcode_settings': {
            'OTHER_CFLAGS': ['-O3', '-mavx2', '-mfma', '-mf16c', '-mavx512f', '-mavx512bw', '-mavx512dq', '-mavx512vl'],
          },
        },
      ],
    }],
    ['target_arch=="arm64"', {
      'targets': [
        {
          'target_name': 'axonal_kernels_neon',
          'type': 'static_library',
          'sources': ['<!@(node scripts/gyp.cjs sources native/kernels/arm_neon)'],
        },
      ],
    }],
  ],
}
